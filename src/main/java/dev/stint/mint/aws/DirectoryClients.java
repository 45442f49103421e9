package dev.stint.mint.aws;

import dev.stint.mint.Assigner.Endpoints;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.identitystore.IdentitystoreClient;
import software.amazon.awssdk.services.identitystore.IdentitystoreClientBuilder;
import software.amazon.awssdk.services.ssoadmin.SsoAdminClient;
import software.amazon.awssdk.services.ssoadmin.SsoAdminClientBuilder;

/**
 * The SSO Admin and Identity Store clients of one Identity Center home ({@link Endpoints}: its
 * region, at each endpoint given or AWS's own for the region), and the finder of the roles it
 * provisions in member accounts.
 */
record DirectoryClients(SsoAdminClient admin, IdentitystoreClient store, ProvisionedRoles roles)
    implements AutoCloseable {

  static DirectoryClients of(
      Endpoints endpoints, SdkHttpClient http, AwsCredentialsProvider credentials, AwsClients iam) {
    Region region = Region.of(endpoints.region());
    SsoAdminClientBuilder a =
        SsoAdminClient.builder().httpClient(http).credentialsProvider(credentials).region(region);
    endpoints.admin().ifPresent(a::endpointOverride);
    IdentitystoreClientBuilder s =
        IdentitystoreClient.builder()
            .httpClient(http)
            .credentialsProvider(credentials)
            .region(region);
    endpoints.directory().ifPresent(s::endpointOverride);
    SsoAdminClient admin = a.build();
    return new DirectoryClients(admin, s.build(), new ProvisionedRoles(admin, iam));
  }

  @Override
  public void close() {
    admin.close();
    store.close();
  }
}
