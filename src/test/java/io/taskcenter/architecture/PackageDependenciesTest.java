package io.taskcenter.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
                        "io.netty..", "com.rabbitmq..", "jakarta..", "org.eclipse.microprofile..")
                .check(SERVICE);
    }
}
