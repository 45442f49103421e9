package dev.stint.cli.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A review's decisions go to the server in batches its body limit takes: each batch's body under 64
 * KiB, every item once, in order; a few items go in one request.
 */
class DecideBatchesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static List<Map<String, Object>> items(int n, String comment) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("issuer", "https://login.example.com/oauth2/default");
      item.put("subject", "00u" + i);
      item.put("decision", i % 2 == 0 ? "keep" : "remove");
      item.put("comment", comment);
      out.add(item);
    }
    return out;
  }

  @Test
  void fewItemsGoInOneRequest() {
    assertThat(DecideReviewCommand.batches(items(3, "ok"))).hasSize(1);
  }

  @Test
  void manyItemsWithLongCommentsGoInBatchesUnderTheLimitEachOnceInOrder() throws Exception {
    List<Map<String, Object>> items = items(2_000, "\u00e9\"<".repeat(160));
    List<List<Map<String, Object>>> batches = DecideReviewCommand.batches(items);
    assertThat(batches.size()).isGreaterThan(1);
    List<Map<String, Object>> again = new ArrayList<>();
    for (List<Map<String, Object>> batch : batches) {
      assertThat(JSON.writeValueAsBytes(Map.of("items", batch)).length).isLessThan(64 * 1024);
      again.addAll(batch);
    }
    assertThat(again).containsExactlyElementsOf(items);
  }
}
