package dev.stint.directory;

import dev.stint.identity.Person;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;

/**
 * The groups the directory gives a person: empty when no directory user is matched to them (their
 * token's groups then stand), otherwise the display names of the groups their active directory
 * users are members of — none at all for a person whose every directory user is inactive.
 */
public interface DirectoryGroups {
  Future<Optional<Set<String>>> groups(Person person);
}
