package dev.stint.notify;

import java.net.URI;

/**
 * Where people look at a request, a task lease or an access review: the pages notifications link
 * to, under the server's public URL.
 */
public record PageLinks(URI publicUrl) {
  /** A request's page. */
  public URI link(String requestId) {
    return page("/ui/requests/" + requestId);
  }

  /** A task lease's page; a finding on its calls links here. */
  public URI leaseLink(String leaseId) {
    return page("/ui/leases/" + leaseId);
  }

  /** An access review's page. */
  public URI reviewLink(String reviewId) {
    return page("/ui/access-reviews/" + reviewId);
  }

  private URI page(String path) {
    return URI.create(publicUrl.toString().replaceAll("/+$", "") + path);
  }
}
