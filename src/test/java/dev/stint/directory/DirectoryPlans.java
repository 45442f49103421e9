package dev.stint.directory;

import dev.stint.directory.DirectoryStore.Listing;
import dev.stint.testing.PlannedQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The directory's reads, as its store and matching run them, on the plan test's directory: the
 * filters providers send (userName, emails and externalId equality; displayName for groups), the
 * first page of an import, a resource by id, the members of a page of groups, a person's match (by
 * sub or by another claim), a person's standing read at their first call, and the eligibility
 * report's pages of active users. Not here: an unfiltered count, {@code co}/{@code ew}, which read
 * every row (docs/directory.md, "Not yet"), and the whole reads each replica's {@link
 * DirectoryView} makes by design.
 */
public final class DirectoryPlans {
  private DirectoryPlans() {}

  public static List<PlannedQuery> queries() {
    List<PlannedQuery> out = new ArrayList<>();
    listed(out, "users by userName", Listing.USERS, "userName eq \"USER-1234@example.com\"");
    listed(out, "users by email", Listing.USERS, "emails eq \"user-77@mail.example.com\"");
    listed(out, "users by externalId", Listing.USERS, "externalId eq \"ext-4321\"");
    listed(out, "groups by displayName", Listing.GROUPS, "displayName eq \"Group-42\"");
    out.add(
        PlannedQuery.of(
            "directory: first page of users", Listing.USERS.page(Optional.empty(), 0, 100)));
    out.add(PlannedQuery.of("directory: user by id", DirectoryStore.USER_BY_ID, "dir-user-9"));
    out.add(PlannedQuery.of("directory: group by id", DirectoryStore.GROUP_BY_ID, "dir-group-9"));
    out.add(
        PlannedQuery.of(
            "directory: members of groups",
            DirectoryStore.MEMBERS,
            (Object) new String[] {"dir-group-1", "dir-group-2"}));
    out.add(
        PlannedQuery.of(
            "directory: groups of users",
            DirectoryStore.GROUPS_OF,
            (Object) new String[] {"dir-user-1", "dir-user-2"}));
    out.add(
        PlannedQuery.of(
            "directory: people a user may be",
            DirectoryPeople.CANDIDATES,
            "https://idp.example",
            "ext-17",
            new String[] {"user-17@example.com"},
            "sub"));
    out.add(
        PlannedQuery.of(
            "directory: people a user may be, by Entra's oid",
            DirectoryPeople.CANDIDATES,
            "https://idp.example",
            "5f1c2d3e-0000-4000-8000-000000000017",
            new String[] {"user-17@example.com"},
            "oid"));
    out.add(
        PlannedQuery.of(
            "directory: unmatched users of a person seen",
            Sightings.UNMATCHED,
            "00u-user-17",
            "user-17@example.com"));
    out.add(
        PlannedQuery.of(
            "directory: a person's mark, first call",
            Sightings.MARK,
            "https://idp.example",
            "00u-user-17"));
    out.add(
        PlannedQuery.of(
            "directory: a person's groups, first call",
            Sightings.GROUPS,
            "https://idp.example",
            "00u-user-17"));
    out.add(
        PlannedQuery.of(
            "directory: first page of active users, eligibility report",
            ActiveUsers.PAGE,
            "",
            500));
    out.add(
        PlannedQuery.of(
            "directory: a later page of active users, eligibility report",
            ActiveUsers.PAGE,
            "dir-user-9",
            500));
    return out;
  }

  private static void listed(List<PlannedQuery> out, String name, Listing listing, String filter) {
    Map<String, String> attributes =
        listing == Listing.USERS ? FilterSql.USER_ATTRIBUTES : FilterSql.GROUP_ATTRIBUTES;
    ScimFilter.Node node = ScimFilter.parse(filter, attributes);
    FilterSql.Where where =
        listing == Listing.USERS ? FilterSql.users(node, 1) : FilterSql.groups(node, 1);
    Object[] params = where.params().toArray();
    out.add(
        PlannedQuery.of(
            "directory: " + name + ", count", listing.count(Optional.of(where)), params));
    out.add(
        PlannedQuery.of(
            "directory: " + name + ", page", listing.page(Optional.of(where), 0, 100), params));
  }
}
