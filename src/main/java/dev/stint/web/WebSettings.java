package dev.stint.web;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Where the pages live, how long sessions last, and the web client's secret if any. */
public record WebSettings(URI publicUrl, Duration sessionTtl, Optional<String> clientSecret) {
  @Override
  public String toString() {
    return "WebSettings[publicUrl=" + publicUrl + ", sessionTtl=" + sessionTtl + "]";
  }
}
