package dev.stint.cloud;

import java.util.Optional;
import java.util.function.Function;

/**
 * A cloud's name, typed by the record of its targets. A minter of {@code Cloud<T>} mints on a
 * {@code T}; {@link #target} meets any target as a {@code T} when it is this cloud's, so a registry
 * of minters pairs a profile's target with its minter without a cast.
 */
public final class Cloud<T extends CloudTarget> {
  public static final Cloud<AwsTarget> AWS =
      new Cloud<>(
          AwsTarget.CLOUD,
          target ->
              target.accept(
                  new Only<AwsTarget>() {
                    @Override
                    public Optional<AwsTarget> aws(AwsTarget aws) {
                      return Optional.of(aws);
                    }
                  }));

  public static final Cloud<GcpTarget> GCP =
      new Cloud<>(
          GcpTarget.CLOUD,
          target ->
              target.accept(
                  new Only<GcpTarget>() {
                    @Override
                    public Optional<GcpTarget> gcp(GcpTarget gcp) {
                      return Optional.of(gcp);
                    }
                  }));

  public static final Cloud<AzureTarget> AZURE =
      new Cloud<>(
          AzureTarget.CLOUD,
          target ->
              target.accept(
                  new Only<AzureTarget>() {
                    @Override
                    public Optional<AzureTarget> azure(AzureTarget azure) {
                      return Optional.of(azure);
                    }
                  }));

  private final String name;
  private final Function<CloudTarget, Optional<T>> narrowing;

  private Cloud(String name, Function<CloudTarget, Optional<T>> narrowing) {
    this.name = name;
    this.narrowing = narrowing;
  }

  /** The cloud's key in the policy file, as audited and as the ledger records it. */
  public String name() {
    return name;
  }

  /** {@code target} as this cloud's record; empty when it is another cloud's. */
  public Optional<T> target(CloudTarget target) {
    return narrowing.apply(target);
  }

  @Override
  public String toString() {
    return name;
  }

  /** Empty for every cloud but the one a subclass answers for. */
  private abstract static class Only<T extends CloudTarget>
      implements CloudTarget.Visitor<Optional<T>> {
    @Override
    public Optional<T> aws(AwsTarget target) {
      return Optional.empty();
    }

    @Override
    public Optional<T> gcp(GcpTarget target) {
      return Optional.empty();
    }

    @Override
    public Optional<T> azure(AzureTarget target) {
      return Optional.empty();
    }
  }
}
