package dev.stint.app;

import java.net.URI;

/** Where people look at a request or an access review: the pages notifications link to. */
record PageLinks(URI publicUrl) {
  /** A request's page. */
  URI link(String requestId) {
    return page("/ui/requests/" + requestId);
  }

  /** An access review's page. */
  URI reviewLink(String reviewId) {
    return page("/ui/access-reviews/" + reviewId);
  }

  private URI page(String path) {
    return URI.create(publicUrl.toString().replaceAll("/+$", "") + path);
  }
}
