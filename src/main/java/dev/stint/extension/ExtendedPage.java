package dev.stint.extension;

import java.util.List;
import java.util.Optional;

/**
 * A page of what the caller may see. It can hold fewer than the page's size, even none, while more
 * remain: the cursor follows every extension read, not only the ones shown.
 */
public record ExtendedPage(List<Extended> extensions, Optional<ExtensionCursor> next) {}
