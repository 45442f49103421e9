package dev.stint.testing;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.Validator;

/** Validators for the JSON Schemas (draft 2020-12) that tests hold stint's outputs and files to. */
public final class JsonSchemas {
  private JsonSchemas() {}

  public static Validator validator(JsonObject schema) {
    return Validator.create(
        JsonSchema.of(schema),
        new JsonSchemaOptions()
            .setDraft(Draft.DRAFT202012)
            .setBaseUri("https://stint.test/")
            .setOutputFormat(OutputFormat.Basic));
  }
}
