package dev.stint.mint.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where each of a role's denies goes, as pure data: the inline policy first, then stint's customer
 * managed policies in order ({@link RevocationPolicy} renders each). An item already in a document
 * stays there, so that a revocation changes one document, not all of them, and no deny is ever
 * absent between two writes; a new one goes to the first document with room. Each document keeps
 * within its budget (IAM's limit less what is not stint's to use); what fits nowhere is counted,
 * for the revoker to collapse people or widen.
 */
final class DenyLayout {
  /**
   * One document stint may write: what it holds whatever the items ({@code base}: the inline
   * policy's statements of others and the cutoff, or an empty managed one), how many characters it
   * may take, and the items IAM holds in it now.
   */
  record Slot(ObjectNode base, int budget, Set<String> held) {}

  /** The items of each slot, in the slots' order, and what fit nowhere (characters, items). */
  record Placed(List<List<DenyItem>> bySlot, int unplacedCharacters, int unplaced) {
    boolean fits() {
      return unplaced == 0;
    }
  }

  private DenyLayout() {}

  /** Places {@code items} in {@code slots}. */
  static Placed place(List<Slot> slots, List<DenyItem> items) {
    List<List<DenyItem>> bySlot = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    List<DenyItem> fresh = new ArrayList<>();
    for (Slot slot : slots) {
      List<DenyItem> kept = new ArrayList<>();
      for (DenyItem item : items) {
        if (slot.held().contains(item.key()) && placed.add(item.key())) {
          kept.add(item);
        }
      }
      // A budget that shrank (the role's other inline policies grew) sends the last ones on.
      while (!kept.isEmpty() && size(slot, kept) > slot.budget()) {
        DenyItem moved = kept.remove(kept.size() - 1);
        placed.remove(moved.key());
      }
      bySlot.add(kept);
    }
    for (DenyItem item : items) {
      if (!placed.contains(item.key())) {
        fresh.add(item);
      }
    }
    return fill(slots, bySlot, fresh);
  }

  /** Each new item to the first slot with room for it. */
  private static Placed fill(List<Slot> slots, List<List<DenyItem>> bySlot, List<DenyItem> fresh) {
    int[] sizes = new int[slots.size()];
    int[] grants = new int[slots.size()];
    int[] statements = new int[slots.size()];
    for (int i = 0; i < slots.size(); i++) {
      sizes[i] = size(slots.get(i), bySlot.get(i));
      grants[i] = (int) bySlot.get(i).stream().filter(DenyItem.Grant.class::isInstance).count();
      statements[i] =
          RevocationPolicy.statements(slots.get(i).base())
              + (grants[i] > 0 ? 1 : 0)
              + 2 * (bySlot.get(i).size() - grants[i]);
    }
    int unplacedCharacters = 0;
    int unplaced = 0;
    for (DenyItem item : fresh) {
      boolean done = false;
      for (int i = 0; i < slots.size() && !done; i++) {
        int cost = RevocationPolicy.cost(item, grants[i] == 0, statements[i] == 0);
        if (sizes[i] + cost <= slots.get(i).budget()) {
          bySlot.get(i).add(item);
          sizes[i] += cost;
          boolean grant = item instanceof DenyItem.Grant;
          statements[i] += grant ? (grants[i] == 0 ? 1 : 0) : 2;
          grants[i] += grant ? 1 : 0;
          done = true;
        }
      }
      if (!done) {
        unplaced++;
        unplacedCharacters += RevocationPolicy.cost(item, false, false);
      }
    }
    return new Placed(bySlot, unplacedCharacters, unplaced);
  }

  /** The size of {@code slot} holding {@code items}, as IAM counts it. */
  static int size(Slot slot, List<DenyItem> items) {
    return RevocationPolicy.characters(RevocationPolicy.render(slot.base(), items));
  }
}
