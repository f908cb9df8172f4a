package io.taskcenter.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Keeps dependencies pointing one way: the edges (endpoint, messaging, api, health, lifecycle, stats) depend on
 * the dispatch core, which depends on {@code task} and {@code config} only, and knows no framework.
 */
class PackageDependenciesTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.taskcenter");

    /** The worker library (clients/java), which this build compiles among its test classes. */
    private static final JavaClasses WORKER_LIBRARY = new ClassFileImporter()
            .importPackages("io.taskcenter.client")
            .that(resideInAPackage("io.taskcenter.client").and(not(simpleNameEndingWith("Test")))
                    .and(not(simpleNameEndingWith("IT"))));

    @Test
    void theWorkerLibraryNeedsNothingButTheJdkAndJackson() {
        assertThat(WORKER_LIBRARY).as("library classes found").isNotEmpty();
        classes().should().onlyDependOnClassesThat(resideInAnyPackage("java..", "javax..", "com.fasterxml.jackson..",
                "io.taskcenter.client"))
                .check(WORKER_LIBRARY);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("io.taskcenter.(*)..").should().beFreeOfCycles().check(SERVICE);
    }

    @Test
    void dispatchDependsOnTaskAndConfigOnly() {
        classes().that().resideInAPackage("io.taskcenter.dispatch..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.taskcenter..")
                        .or(resideInAnyPackage("io.taskcenter.dispatch..", "io.taskcenter.task..",
                                "io.taskcenter.config..")))
                .check(SERVICE);
    }

    @Test
    void theDispatchCoreKnowsNoFramework() {
        noClasses().that().resideInAPackage("io.taskcenter.dispatch")
                .and().doNotHaveSimpleName("Dispatcher").and().doNotHaveSimpleName("Ticker")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "io.vertx..", "io.smallrye..",
                        "io.netty..", "com.rabbitmq..", "com.fasterxml..", "jakarta..", "org.eclipse.microprofile..")
                .check(SERVICE);
    }
}
