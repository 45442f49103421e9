package dev.stint.testing;

import dev.stint.demo.SigninStandIn;

/** The demo's sign-in stand-in; {@link #failWith} makes getSigninToken fail. */
public final class FakeSignin extends SigninStandIn {
  private volatile int failStatus;

  /** Every getSigninToken answers this HTTP status (0: succeed). */
  public FakeSignin failWith(int status) {
    this.failStatus = status;
    return this;
  }

  @Override
  protected Answer token(Call call) {
    return failStatus != 0
        ? new Answer(failStatus, "text/html", "<html>error</html>")
        : super.token(call);
  }
}
