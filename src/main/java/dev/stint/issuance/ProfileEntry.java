package dev.stint.issuance;

import dev.stint.mint.Minting;
import dev.stint.policy.CiRule;
import dev.stint.policy.Profile;
import java.util.Optional;

/** The profile, with the CI rule a CI token exchanges under, or the console sign-in. */
record ProfileEntry(Profile profile, Optional<CiRule> rule, Optional<Minting.SignIn> signIn) {
  ProfileEntry(Profile profile, Optional<CiRule> rule) {
    this(profile, rule, Optional.empty());
  }
}
