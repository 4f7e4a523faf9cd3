package io.keywatch.api;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * alerts-api's package rules (#16 part 5), checked on the compiled main classes. Nothing is frozen: a rule that
 * fails names the offending dependency, and the fix is in the code.
 *
 * <ul>
 *   <li>Feature packages ({@code io.keywatch.api.<feature>..}) form no cycle. The composition root
 *       ({@code io.keywatch.api} itself) may depend on all of them; nothing depends on it.</li>
 *   <li>The domain does not know HTTP: only the edge touches Javalin or {@code io.keywatch.api.http}. The edge is
 *       every {@code *Controller}, the {@code http} package, the composition root, and two named adapters that
 *       are HTTP by nature ({@code HttpMetrics}, Javalin's request hook; {@code ConsoleAssets}, static files).</li>
 *   <li>{@code db} is infrastructure: it depends on no feature (features hand it their row mappers).</li>
 *   <li>Anywhere in the API, SQL runs on a repository bound to one transaction's handle
 *       ({@code ApprovalStore.on(handle)}, {@code KeyStore.on(handle)}, {@code new AuditTrail(handle)}, ...), not in
 *       static {@code (Handle, ...)} functions.</li>
 * </ul>
 */
class ArchitectureTest {

    private static final String ROOT = "io.keywatch.api";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(ROOT);
    }

    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheEdgeKnowsHttp() {
        noClasses()
                .that().haveSimpleNameNotEndingWith("Controller")
                .and().resideOutsideOfPackages(ROOT, ROOT + ".http..")
                .and().doNotHaveSimpleName("HttpMetrics")
                .and().doNotHaveSimpleName("ConsoleAssets")
                .should().dependOnClassesThat(resideInAnyPackage("io.javalin..", ROOT + ".http.."))
                .because("domain classes throw their feature's exceptions; ErrorHandlers maps them to 4xx JSON")
                .check(classes);
    }

    @Test
    void dbDependsOnNoFeature() {
        noClasses()
                .that().resideInAPackage(ROOT + ".db..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT + ".db.."))))
                .because("features register their own row mappers with JdbiFactory")
                .check(classes);
    }

    @Test
    void storesRunTheirSqlOnARepositoryBoundToTheHandleNotInStaticFunctions() {
        DescribedPredicate<List<JavaClass>> aHandle = DescribedPredicate.describe("a Jdbi Handle among them",
                types -> types.stream().anyMatch(type -> type.isEquivalentTo(Handle.class)));
        noMethods()
                .that().areDeclaredInClassesThat().resideInAPackage(ROOT + "..")
                .and().areStatic()
                .and().doNotHaveModifier(JavaModifier.SYNTHETIC)
                .should().haveRawParameterTypes(aHandle)
                .check(classes);
    }

    @Test
    void onlyTheEdgeAndTheRootDependOnControllers() {
        noClasses()
                .that().haveSimpleNameNotEndingWith("Controller")
                .and().resideOutsideOfPackage(ROOT)
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Controller")
                .because("a controller depends on the domain and on the bodies it binds, not the other way round")
                .check(classes);
    }

    /**
     * The rule above reads bytecode, where javac has inlined a controller's {@code static final} constants; so the
     * sources are read too: a body record or a domain class takes its limits from its own side, not a controller's.
     */
    @Test
    void noConstantIsReadFromAControllerOutsideTheEdge() throws java.io.IOException {
        // surefire runs in the module's folder; the count below makes sure the scan saw the sources at all
        java.nio.file.Path main = java.nio.file.Path.of("src/main/java/io/keywatch/api");
        java.util.regex.Pattern controllerConstant = java.util.regex.Pattern.compile(
                "\\b[A-Z]\\w*Controller\\.(\\*|[A-Z][A-Z0-9_]*\\b)");
        java.util.concurrent.atomic.AtomicInteger scanned = new java.util.concurrent.atomic.AtomicInteger();
        List<String> offending;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(main)) {
            offending = files.filter(file -> file.toString().endsWith(".java"))
                    .peek(file -> scanned.incrementAndGet())
                    .filter(file -> !file.getFileName().toString().endsWith("Controller.java"))
                    .filter(file -> !file.getParent().equals(main)) // the composition root wires the controllers
                    .filter(file -> {
                        try {
                            return controllerConstant.matcher(java.nio.file.Files.readString(file)).find();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(file -> main.relativize(file).toString())
                    .sorted()
                    .toList();
        }
        org.assertj.core.api.Assertions.assertThat(scanned.get()).as("source files scanned").isGreaterThan(100);
        org.assertj.core.api.Assertions.assertThat(offending).as("classes reading a controller's constants").isEmpty();
    }

    @Test
    void portsBetweenFeaturesSayWhatTheyReturn() {
        noMethods()
                .that().areDeclaredInClassesThat().areInterfaces()
                .should().haveRawReturnType(Object.class)
                .because("an interface one feature declares for another (e.g. RuleWideSilenceApprovals) names the "
                        + "type it hands back, so a caller never has to guess or cast")
                .check(classes);
    }
}
