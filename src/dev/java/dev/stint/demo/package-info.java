/**
 * DEVELOPMENT ONLY: {@code stint demo} — a development identity provider that signs anyone in as
 * alice, bob or carol, local stand-ins for AWS STS, IAM, S3 and the console sign-in endpoint, and
 * the stack that runs them next to a real stint server. It is development code (src/dev), built
 * into target/stint-dev.jar and never into the server's jar: nothing in {@code stint serve} refers
 * to this package (DemoIsolationTest checks it), and {@code app.Main} finds the demo command
 * through {@code app.DevelopmentCommand} ({@link dev.stint.demo.DemoCommandProvider}) only when it
 * is asked for. What the AWS stand-ins refuse is {@code dev.stint.standin}'s, which the tests'
 * fakes use too; the fakes are the tests' own. The CloudTrail stand-in delivers late, as CloudTrail
 * does, and answers both the stack's sessions and the tests' lookups.
 */
package dev.stint.demo;
