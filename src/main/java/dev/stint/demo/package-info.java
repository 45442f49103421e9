/**
 * DEVELOPMENT ONLY: {@code stint demo} — a development identity provider that signs anyone in as
 * alice, bob or carol, local stand-ins for AWS STS, IAM, S3 and the console sign-in endpoint, and
 * the stack that runs them next to a real stint server. Nothing in {@code stint serve} refers to
 * this package (DemoIsolationTest checks it); only {@code app.Main} wires the demo command, and
 * passes the real server in as a {@link dev.stint.demo.StintLauncher}, so this package imports
 * nothing from app. What the AWS stand-ins refuse is {@code dev.stint.standin}'s, which the tests'
 * fakes use too; the fakes are the tests' own. The CloudTrail stand-in answers the tests' lookups;
 * the stack does not start it yet.
 */
package dev.stint.demo;
