package dev.stint.architecture;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Where the sources refuse with {@code FORBIDDEN}: each call of {@code StintException.forbidden},
 * and each constructor handed {@code ErrorCode.FORBIDDEN} (a {@code StintException}, a state
 * machine's {@code Refused}, a {@code MintException}). A comparison with the code, or the code
 * written into an event, makes no refusal and is not listed. Read from the sources' syntax trees
 * (the compiler's own parser, nothing resolved), as the compiled classes keep no argument of a
 * call.
 */
final class ForbiddenRefusals {
  private ForbiddenRefusals() {}

  /** One refusal: the package (dotted, under {@code dev.stint}), the file and the line. */
  record Site(String pkg, String file, long line) implements Comparable<Site> {
    @Override
    public int compareTo(Site o) {
      return Comparator.comparing(Site::pkg)
          .thenComparing(Site::file)
          .thenComparingLong(Site::line)
          .compare(this, o);
    }

    @Override
    public String toString() {
      return file + ":" + line;
    }
  }

  /** Every refusal in the sources under {@code root}, a directory holding {@code dev/stint}. */
  static List<Site> in(Path root) {
    Path stint = root.resolve("dev/stint").toAbsolutePath();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(stint)) {
      files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<Site> out = new ArrayList<>();
    try (StandardJavaFileManager fm = compiler.getStandardFileManager(null, null, null)) {
      JavacTask task =
          (JavacTask)
              compiler.getTask(
                  null,
                  fm,
                  d -> {},
                  List.of("-proc:none"),
                  null,
                  fm.getJavaFileObjects(files.toArray(Path[]::new)));
      SourcePositions positions = Trees.instance(task).getSourcePositions();
      for (CompilationUnitTree unit : task.parse()) {
        Path file = Path.of(unit.getSourceFile().toUri());
        Path relative = stint.relativize(file);
        String pkg =
            relative.getParent() == null ? "" : relative.getParent().toString().replace('/', '.');
        new Scanner(unit, positions, pkg, relative.toString(), out).scan(unit, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private static final class Scanner extends TreeScanner<Void, Void> {
    private final CompilationUnitTree unit;
    private final SourcePositions positions;
    private final String pkg;
    private final String file;
    private final List<Site> out;

    Scanner(
        CompilationUnitTree unit,
        SourcePositions positions,
        String pkg,
        String file,
        List<Site> out) {
      this.unit = unit;
      this.positions = positions;
      this.pkg = pkg;
      this.file = file;
      this.out = out;
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
      if (call.getMethodSelect() instanceof MemberSelectTree select
          && select.getIdentifier().contentEquals("forbidden")
          && select.getExpression() instanceof IdentifierTree owner
          && owner.getName().contentEquals("StintException")) {
        add(call);
      }
      return super.visitMethodInvocation(call, unused);
    }

    @Override
    public Void visitNewClass(NewClassTree created, Void unused) {
      if (created.getArguments().stream().anyMatch(ForbiddenRefusals::isForbiddenCode)) {
        add(created);
      }
      return super.visitNewClass(created, unused);
    }

    private void add(Tree at) {
      long line = unit.getLineMap().getLineNumber(positions.getStartPosition(unit, at));
      out.add(new Site(pkg, file, line));
    }
  }

  private static boolean isForbiddenCode(ExpressionTree e) {
    return e instanceof MemberSelectTree select
        && select.getIdentifier().contentEquals("FORBIDDEN")
        && select.getExpression() instanceof IdentifierTree owner
        && owner.getName().contentEquals("ErrorCode");
  }
}
