package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The resource a record's call acted on, as an IAM resource pattern: a bucket, its objects under
 * the key's first segment, a table, a function without its qualifier; nothing when the name holds
 * what a pattern would read as a wildcard, or for a service whose resources are not read.
 */
class CloudTrailResourcesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "s3 | eu-west-1 | {\"bucketName\":\"acme-data\",\"key\":\"reports/2026/q1.csv\"}"
            + " | arn:aws:s3:::acme-data/reports/*",
        "s3 | eu-west-1 | {\"bucketName\":\"acme-data\",\"key\":\"q1.csv\"}"
            + " | arn:aws:s3:::acme-data/*",
        "s3 | eu-west-1 | {\"bucketName\":\"acme-data\",\"key\":\"a*b/q1.csv\"}"
            + " | arn:aws:s3:::acme-data/*",
        "s3 | eu-west-1 | {\"bucketName\":\"acme-data\",\"prefix\":\"reports/\"}"
            + " | arn:aws:s3:::acme-data",
        "s3 | cn-north-1 | {\"bucketName\":\"acme-data\"} | arn:aws-cn:s3:::acme-data",
        "s3 | eu-west-1 | {\"bucketName\":\"Acme*\"} | NONE",
        "dynamodb | eu-west-1 | {\"tableName\":\"orders\"}"
            + " | arn:aws:dynamodb:eu-west-1:111122223333:table/orders",
        "dynamodb | eu-west-1 | {\"tableName\":\"arn:aws:dynamodb:eu-west-1:111122223333:table/ord1\"}"
            + " | arn:aws:dynamodb:eu-west-1:111122223333:table/ord1",
        "dynamodb | eu-west-1 | {\"tableName\":\"or*\"} | NONE",
        "lambda | us-gov-west-1 | {\"functionName\":\"resize:live\"}"
            + " | arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:resize",
        "lambda | eu-west-1 | {\"functionName\":"
            + "\"arn:aws:lambda:eu-west-1:111122223333:function:resize:3\"}"
            + " | arn:aws:lambda:eu-west-1:111122223333:function:resize",
        "ec2 | eu-west-1 | {\"instanceType\":\"t3.micro\"} | NONE"
      })
  void theResourceIsReadWhereTheRecordNamesIt(
      String service, String region, String parameters, String expected) throws Exception {
    JsonNode record =
        JSON.readTree(
            "{\"eventSource\":\""
                + service
                + ".amazonaws.com\",\"awsRegion\":\""
                + region
                + "\",\"recipientAccountId\":\"111122223333\",\"requestParameters\":"
                + parameters
                + "}");
    assertThat(CloudTrailResources.of(record))
        .isEqualTo(expected.equals("NONE") ? Optional.empty() : Optional.of(expected));
  }
}
