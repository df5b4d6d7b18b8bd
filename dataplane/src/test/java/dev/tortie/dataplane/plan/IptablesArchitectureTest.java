package dev.tortie.dataplane.plan;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Renderers and planners are pure (see their package-info); only drivers run commands, and only via os. */
@AnalyzeClasses(packages = "dev.tortie.dataplane", importOptions = ImportOption.DoNotIncludeTests.class)
class IptablesArchitectureTest {

    @ArchTest
    static final ArchRule renderersAndPlannersArePure = noClasses()
            .that()
            .resideInAnyPackage(
                    "dev.tortie.dataplane.render.iptables..",
                    "dev.tortie.dataplane.render.ipset..",
                    "dev.tortie.dataplane.plan..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.tortie.dataplane.os..",
                    "dev.tortie.dataplane.driver..",
                    "dev.tortie.dataplane.lab..",
                    "dev.tortie.dataplane.bpf..",
                    "java.io..",
                    "java.nio.file..",
                    "java.net..",
                    "jnr..")
            .orShould()
            .dependOnClassesThat()
            .belongToAnyOf(System.class, Runtime.class, ProcessBuilder.class, Process.class, Thread.class);

    @ArchTest
    static final ArchRule driversRunNoProcessesThemselves = noClasses()
            .that()
            .resideInAPackage("dev.tortie.dataplane.driver..")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(ProcessBuilder.class, Process.class, Runtime.class);

    @ArchTest
    static final ArchRule theDataplaneInterfaceDoesNotDependOnABackend = noClasses()
            .that()
            .haveFullyQualifiedName("dev.tortie.dataplane.Dataplane")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.tortie.dataplane.driver..", "dev.tortie.dataplane.render..");
}
