package dev.stint.policy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.common.types.StructTypeReference;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The CEL environments of policy conditions: {@code principal} (issuer, issuer_url, subject, email,
 * groups), {@code claims} (the token's claims), {@code request} and {@code now} (a timestamp).
 * {@code request} depends on where the condition stands ({@link Scope}): a profile's rules see
 * profile, duration_seconds, reason, ticket and break_glass; a CI rule's {@code when} only profile;
 * {@code auditors} and {@code admins} no request at all. Conditions must be boolean; anything else
 * is refused when the policy loads.
 *
 * <p>{@code principal} and {@code request} are declared as struct types with exactly the fields
 * {@link ConditionVariables} puts in their maps, so a misspelt field or a comparison of the wrong
 * types is refused at load: typed as maps, {@code principal.group} would compile and then fail
 * closed at every evaluation, and a profile nobody can approve would ship. Only the checker sees
 * the struct types; at evaluation the values stay plain maps, which CEL selects fields from.
 *
 * <p>A profile's rules may also read facts looked up at decision time ({@link FactValues}): {@code
 * oncall(SCHEDULE_ID)}, true when the person decided about is on call now in that PagerDuty
 * schedule, and {@code ticket}, the request's ticket as Jira has it. The schedule must be a literal
 * string, so what a condition needs is known when it compiles ({@link FactNeeds}) and nothing else
 * is looked up. {@code fact(NAME)} and {@code fact(NAME, ARGUMENT)} ask one of the server's own
 * HTTP providers; both are literal strings for the same reason.
 */
public final class Conditions {
  private static final int MAX_SOURCE = 4096;

  /** PagerDuty's object ids: a few capital letters and digits. */
  private static final Pattern SCHEDULE_ID = Pattern.compile("[A-Z0-9]{2,20}");

  private static final String PRINCIPAL_TYPE = "stint.Principal";
  private static final String REQUEST_TYPE = "stint.Request";
  private static final String TICKET_TYPE = "stint.Ticket";

  /** The function of the on-call fact, and its one overload's id (bound at each evaluation). */
  static final String ONCALL = "oncall";

  static final String ONCALL_OVERLOAD = "oncall_string";

  /** The function of the facts of the server's own HTTP providers, and its two overloads. */
  static final String FACT = "fact";

  static final String FACT_OVERLOAD = "fact_string";
  static final String FACT_ARGUMENT_OVERLOAD = "fact_string_string";

  /** The variable of the ticket fact. */
  static final String TICKET = "ticket";

  /** The ticket fact's fields and their CEL types; keep in step with FactValues.TicketFact. */
  static final Map<String, CelType> TICKET_FIELDS =
      ImmutableMap.of(
          "exists", SimpleType.BOOL,
          "key", SimpleType.STRING,
          "status", SimpleType.STRING,
          "status_category", SimpleType.STRING,
          "assignee_email", SimpleType.STRING,
          "project", SimpleType.STRING);

  /** Where a condition stands, which decides what {@code request} holds when it is evaluated. */
  public enum Scope {
    /** A profile's requesters, approvers, auto_approve and escalate_to: the whole request. */
    REQUEST,
    /** A CI rule's {@code when}: the profile asked for, nothing else. */
    CI,
    /** {@code auditors} and {@code admins}: about a person, never a request. */
    ROLE
  }

  /** The principal's fields and their CEL types; keep in step with {@link ConditionVariables}. */
  static final Map<String, CelType> PRINCIPAL =
      ImmutableMap.of(
          "issuer", SimpleType.STRING,
          "issuer_url", SimpleType.STRING,
          "subject", SimpleType.STRING,
          "email", SimpleType.STRING,
          "groups", ListType.create(SimpleType.STRING));

  /** The request's fields and their CEL types; keep in step with {@link ConditionVariables}. */
  static final Map<String, CelType> REQUEST =
      ImmutableMap.of(
          "profile", SimpleType.STRING,
          "duration_seconds", SimpleType.INT,
          "reason", SimpleType.STRING,
          "ticket", SimpleType.STRING,
          "break_glass", SimpleType.BOOL);

  /** What a CI rule's request holds; keep in step with PolicyEvaluator's CI variables. */
  static final Map<String, CelType> CI_REQUEST = ImmutableMap.of("profile", SimpleType.STRING);

  private final Map<Scope, Cel> environments;
  private final Scope scope;

  /** Conditions of a profile's rules ({@link Scope#REQUEST}); {@link #in} gives the others. */
  public Conditions() {
    this(
        new EnumMap<>(
            Map.of(
                Scope.REQUEST, environment(Optional.of(REQUEST), true),
                Scope.CI, environment(Optional.of(CI_REQUEST), false),
                Scope.ROLE, environment(Optional.empty(), false))),
        Scope.REQUEST);
  }

  private Conditions(Map<Scope, Cel> environments, Scope scope) {
    this.environments = environments;
    this.scope = scope;
  }

  /** The same environments, compiling conditions that stand in {@code scope}. */
  public Conditions in(Scope scope) {
    return new Conditions(environments, scope);
  }

  private static Cel environment(Optional<Map<String, CelType>> request, boolean facts) {
    List<StructType> structs = new ArrayList<>(List.of(struct(PRINCIPAL_TYPE, PRINCIPAL)));
    request.ifPresent(fields -> structs.add(struct(REQUEST_TYPE, fields)));
    // Facts are about a request and the person decided about: a profile's rules only.
    if (facts) {
      structs.add(struct(TICKET_TYPE, TICKET_FIELDS));
    }
    CelBuilder builder =
        CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setOptions(CelOptions.current().build())
            .setTypeProvider(new DeclaredTypes(ImmutableList.copyOf(structs)))
            .addVar("principal", StructTypeReference.create(PRINCIPAL_TYPE))
            .addVar("claims", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("now", SimpleType.TIMESTAMP);
    request.ifPresent(
        fields -> builder.addVar("request", StructTypeReference.create(REQUEST_TYPE)));
    if (facts) {
      builder
          .addVar(TICKET, StructTypeReference.create(TICKET_TYPE))
          .addFunctionDeclarations(
              CelFunctionDecl.newFunctionDeclaration(
                  ONCALL,
                  CelOverloadDecl.newGlobalOverload(
                      ONCALL_OVERLOAD, SimpleType.BOOL, SimpleType.STRING)),
              CelFunctionDecl.newFunctionDeclaration(
                  FACT,
                  CelOverloadDecl.newGlobalOverload(
                      FACT_OVERLOAD, SimpleType.BOOL, SimpleType.STRING),
                  CelOverloadDecl.newGlobalOverload(
                      FACT_ARGUMENT_OVERLOAD,
                      SimpleType.BOOL,
                      SimpleType.STRING,
                      SimpleType.STRING)));
    }
    return builder.build();
  }

  /** Compiles, or throws IllegalArgumentException with CEL's own message. */
  public Condition compile(String source) {
    if (source.isBlank()) {
      throw new IllegalArgumentException("empty condition");
    }
    if (source.length() > MAX_SOURCE) {
      throw new IllegalArgumentException("condition longer than " + MAX_SOURCE + " characters");
    }
    try {
      Cel cel = environments.get(scope);
      var ast = cel.compile(source).getAst();
      var type = ast.getResultType();
      if (!type.equals(SimpleType.BOOL) && !type.equals(SimpleType.DYN)) {
        throw new IllegalArgumentException("condition must be boolean, is " + type.name());
      }
      return new Condition(source, cel.createProgram(ast), needs(ast));
    } catch (CelValidationException e) {
      throw new IllegalArgumentException("CEL: " + issues(e));
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("CEL: " + oneLine(e.getMessage()));
    }
  }

  /**
   * Compiles a parameter's {@code values}: a list of strings over {@code principal}, {@code claims}
   * and {@code now}, as {@link Scope#ROLE} conditions see them (no request, no facts: the values
   * are offered before there is a request).
   *
   * @throws IllegalArgumentException with CEL's own message, or if the result is not a list of
   *     strings
   */
  AllowedValues compileValues(String source) {
    if (source.isBlank() || source.length() > MAX_SOURCE) {
      throw new IllegalArgumentException("must be 1 to " + MAX_SOURCE + " characters of CEL");
    }
    try {
      Cel cel = environments.get(Scope.ROLE);
      var ast = cel.compile(source).getAst();
      var type = ast.getResultType();
      if (!type.equals(ListType.create(SimpleType.STRING)) && !type.equals(SimpleType.DYN)) {
        throw new IllegalArgumentException("values must be a list of strings, is " + type.name());
      }
      return new AllowedValues(source, cel.createProgram(ast));
    } catch (CelValidationException e) {
      throw new IllegalArgumentException("CEL: " + issues(e));
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("CEL: " + oneLine(e.getMessage()));
    }
  }

  /**
   * The schedules {@code oncall} is called with, whether {@code ticket} is read and the {@code
   * fact} calls made; a schedule, a fact's name or its argument that is not a literal string is
   * refused, since it could not be looked up ahead of the decision.
   */
  private static FactNeeds needs(CelAbstractSyntaxTree ast) {
    Set<String> schedules = new TreeSet<>();
    Set<FactCall> facts = new TreeSet<>();
    boolean[] ticket = {false};
    CelNavigableAst.fromAst(ast)
        .getRoot()
        .allNodes()
        .map(CelNavigableExpr::expr)
        .forEach(
            e -> {
              if (e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals(TICKET)) {
                ticket[0] = true;
              }
              if (e.getKind() != CelExpr.ExprKind.Kind.CALL || e.call().target().isPresent()) {
                return;
              }
              if (e.call().function().equals(ONCALL)) {
                schedules.add(schedule(e.call().args().get(0)));
              } else if (e.call().function().equals(FACT)) {
                facts.add(fact(e.call().args()));
              }
            });
    return new FactNeeds(schedules, ticket[0], facts);
  }

  private static String schedule(CelExpr arg) {
    String id =
        literal(arg)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "oncall() takes the schedule's id as a literal string, such as"
                            + " oncall(\"PABC123\")"));
    if (!SCHEDULE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("oncall(): \"" + id + "\" is not a PagerDuty schedule id");
    }
    return id;
  }

  /**
   * A {@code fact} call's name and argument. Both are literals: what the request and the person
   * are, the provider reads from the body of every lookup, so an argument never needs to be
   * computed, and every fact a policy reads is known before any decision.
   */
  private static FactCall fact(List<CelExpr> args) {
    List<Optional<String>> literals = args.stream().map(Conditions::literal).toList();
    if (literals.stream().anyMatch(Optional::isEmpty)) {
      throw new IllegalArgumentException(
          "fact() takes the provider's name and its argument as literal strings, such as"
              + " fact(\"change_open\") or fact(\"team\", \"payments\"); the request and the"
              + " person are sent with every lookup");
    }
    String name = literals.get(0).get();
    if (!FactCall.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "fact(): \""
              + name
              + "\" is not a provider name (a lower-case letter, then up to 31 lower-case letters,"
              + " digits or _)");
    }
    if (literals.size() == 1) {
      return FactCall.of(name);
    }
    String argument = literals.get(1).get();
    if (argument.length() > FactCall.MAX_ARGUMENT
        || !argument.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
      throw new IllegalArgumentException(
          "fact(\""
              + name
              + "\", ...): the argument must be at most "
              + FactCall.MAX_ARGUMENT
              + " characters, none of them a control character");
    }
    return FactCall.of(name, argument);
  }

  private static Optional<String> literal(CelExpr arg) {
    return arg.getKind() == CelExpr.ExprKind.Kind.CONSTANT
            && arg.constant().getKind() == CelConstant.Kind.STRING_VALUE
        ? Optional.of(arg.constant().stringValue())
        : Optional.empty();
  }

  private static StructType struct(String name, Map<String, CelType> given) {
    ImmutableMap<String, CelType> fields = ImmutableMap.copyOf(given);
    return StructType.create(name, fields.keySet(), f -> Optional.ofNullable(fields.get(f)));
  }

  /**
   * Every issue CEL found, each with where in the condition; CEL's own text has a caret drawing.
   */
  private static String issues(CelValidationException e) {
    if (e.getErrors().isEmpty()) {
      return oneLine(e.getMessage());
    }
    return e.getErrors().stream().map(Conditions::issue).collect(Collectors.joining("; "));
  }

  private static String issue(CelIssue issue) {
    // Policies have no container, so CEL's note about the empty one only adds noise.
    String message = issue.getMessage().replace(" (in container '')", "");
    CelSourceLocation at = issue.getSourceLocation();
    if (at.equals(CelSourceLocation.NONE) || at.getLine() < 1) {
      return message;
    }
    // CEL counts columns from 0; editors and the caret drawing count from 1.
    String where =
        at.getLine() == 1
            ? "column " + (at.getColumn() + 1)
            : "line " + at.getLine() + ", column " + (at.getColumn() + 1);
    return message + " (" + where + ")";
  }

  private static String oneLine(String m) {
    // CEL appends a source excerpt with a caret on following lines; the first line has it all.
    return m == null ? "invalid" : m.replaceFirst("^ERROR: ", "").lines().findFirst().orElse(m);
  }

  /** The struct types the checker knows besides CEL's own: found by name, nothing else. */
  private record DeclaredTypes(ImmutableList<StructType> structs) implements CelTypeProvider {
    @Override
    public ImmutableList<CelType> types() {
      return ImmutableList.copyOf(structs);
    }

    @Override
    public Optional<CelType> findType(String name) {
      return structs.stream()
          .filter(s -> s.name().equals(name))
          .map(CelType.class::cast)
          .findFirst();
    }
  }
}
