package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.mint.aws.DenyLayout.Placed;
import dev.stint.mint.aws.DenyLayout.Slot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where a role's denies go, judged by the documents themselves: each rendered document is measured
 * as IAM counts it, never by the layout's own arithmetic. Every document stays within its budget,
 * no item is left out of (or sent past) a document it would have fitted in, and an item already in
 * a document stays there.
 */
class DenyLayoutTest {
  private static final Instant UNTIL = Instant.parse("2026-11-27T12:00:00Z");

  private static DenyItem grant(String id) {
    return new DenyItem.Grant("*.grt_" + id);
  }

  private static DenyItem person(int i) {
    return new DenyItem.Person(
        new RoleDenies.PersonCutoff(
            String.format("%016x", 0xabc000L + i), UNTIL.minusSeconds(3600), UNTIL));
  }

  private static int size(Slot slot, List<DenyItem> items) {
    return RevocationPolicy.characters(RevocationPolicy.render(slot.base(), items));
  }

  private static List<DenyItem> plus(List<DenyItem> items, DenyItem item) {
    List<DenyItem> out = new ArrayList<>(items);
    out.add(item);
    return out;
  }

  /** Random slots and items: the placement is checked against the rendered documents. */
  @Test
  void everyDocumentKeepsItsBudgetAndNoItemIsLeftWhereItWouldHaveFitted() {
    for (int seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      List<Slot> slots = new ArrayList<>();
      int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        ObjectNode base = RevocationPolicy.managedBase();
        slots.add(
            new Slot(
                base,
                size(new Slot(base, 0, Set.of()), List.of()) + random.nextInt(900),
                Set.of()));
      }
      List<DenyItem> items = new ArrayList<>();
      for (int i = 0; i < 5 + random.nextInt(40); i++) {
        items.add(
            random.nextInt(4) == 0 ? person(i) : grant("x".repeat(1 + random.nextInt(30)) + i));
      }

      Placed placed = DenyLayout.place(slots, items);

      List<DenyItem> seen = new ArrayList<>();
      for (int i = 0; i < slots.size(); i++) {
        List<DenyItem> in = placed.bySlot().get(i);
        assertThat(size(slots.get(i), in))
            .as("seed %d slot %d", seed, i)
            .isLessThanOrEqualTo(slots.get(i).budget());
        seen.addAll(in);
      }
      List<DenyItem> left = new ArrayList<>(items);
      left.removeAll(seen);
      assertThat(placed.unplaced()).as("seed %d", seed).isEqualTo(left.size());
      assertThat(placed.fits()).isEqualTo(left.isEmpty());
      for (DenyItem item : items) {
        int at = slotOf(placed, item);
        for (int i = 0; i < (at < 0 ? slots.size() : at); i++) {
          // Sizes only grow as items are added, so one that did not fit when its turn came does
          // not fit in what the slot holds at the end either.
          assertThat(size(slots.get(i), plus(placed.bySlot().get(i), item)))
              .as("seed %d: %s passed over slot %d", seed, item, i)
              .isGreaterThan(slots.get(i).budget());
        }
      }
    }
  }

  private static int slotOf(Placed placed, DenyItem item) {
    for (int i = 0; i < placed.bySlot().size(); i++) {
      if (placed.bySlot().get(i).contains(item)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * What did not fit is counted as it would cost beside other grants, so the revoker knows how much
   * room a collapse or a cutoff must free.
   */
  @Test
  void grantsThatFitNowhereAreCountedByWhatTheyWouldTake() {
    ObjectNode base = RevocationPolicy.managedBase();
    List<DenyItem> first = List.of(grant("aaaaaaaaaaaaaaaaaaaa01"));
    Slot slot = new Slot(base, size(new Slot(base, 0, Set.of()), first), Set.of());
    DenyItem late1 = grant("bbbbbbbbbbbbbbbbbbbb02");
    DenyItem late2 = grant("cccccccccccc03");

    Placed placed = DenyLayout.place(List.of(slot), List.of(first.get(0), late1, late2));

    assertThat(placed.bySlot()).containsExactly(first);
    assertThat(placed.unplaced()).isEqualTo(2);
    int added1 = size(slot, plus(first, late1)) - size(slot, first);
    int added2 = size(slot, plus(first, late2)) - size(slot, first);
    assertThat(placed.unplacedCharacters()).isEqualTo(added1 + added2);
  }

  @Test
  void anItemAlreadyInADocumentStaysThereAndANewOneGoesToTheFirstWithRoom() {
    ObjectNode base = RevocationPolicy.managedBase();
    DenyItem kept = grant("keptkeptkeptkeptkept01");
    DenyItem person = person(1);
    DenyItem other = person(2);
    DenyItem fresh = grant("freshfreshfreshfresh02");
    Slot first = new Slot(base, 6_144, Set.of());
    // What the document IAM holds names, read from it as the revoker reads it.
    Set<String> held =
        RevocationReadBack.held(RevocationPolicy.render(base, List.of(kept, person, other)));
    Slot second = new Slot(base, 6_144, held);

    Placed placed = DenyLayout.place(List.of(first, second), List.of(fresh, person, other, kept));

    assertThat(placed.bySlot().get(0)).containsExactly(fresh);
    assertThat(placed.bySlot().get(1)).containsExactlyInAnyOrder(person, other, kept);
    assertThat(placed.fits()).isTrue();
  }

  /** The role's other inline policies grew: the document's last items move on, the rest stay. */
  @Test
  void aBudgetThatShrankSendsTheLastHeldItemsOnAndKeepsTheRest() {
    ObjectNode base = RevocationPolicy.managedBase();
    DenyItem a = grant("aaaaaaaaaaaaaaaaaaaa01");
    DenyItem b = grant("bbbbbbbbbbbbbbbbbbbb02");
    DenyItem c = grant("cccccccccccccccccccc03");
    Set<String> held = new HashSet<>(List.of(a.key(), b.key(), c.key()));
    Slot exact = new Slot(base, size(new Slot(base, 0, held), List.of(a, b, c)), held);
    Slot shrunk = new Slot(base, exact.budget() - 1, held);
    Slot next = new Slot(base, 6_144, Set.of());

    assertThat(DenyLayout.place(List.of(exact, next), List.of(a, b, c)).bySlot())
        .as("a document exactly at its budget keeps all it holds")
        .containsExactly(List.of(a, b, c), List.of());
    assertThat(DenyLayout.place(List.of(shrunk, next), List.of(a, b, c)).bySlot())
        .containsExactly(List.of(a, b), List.of(c));
    DenyItem shorter = grant("x1");
    assertThat(DenyLayout.place(List.of(exact, next), List.of(shorter, a, b, c)).bySlot())
        .as("a new item never takes the place of one the document holds")
        .containsExactly(List.of(a, b, c), List.of(shorter));
  }
}
