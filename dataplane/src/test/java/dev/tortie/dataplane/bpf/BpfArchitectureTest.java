package dev.tortie.dataplane.bpf;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The eBPF packages' boundaries (see their package-info): a pure assembler, key layout and demo; one syscall layer. */
@AnalyzeClasses(packages = "dev.tortie.dataplane.bpf", importOptions = ImportOption.DoNotIncludeTests.class)
class BpfArchitectureTest {

    @ArchTest
    static final ArchRule assemblerIsPureJdk = classes()
            .that()
            .resideInAPackage("dev.tortie.dataplane.bpf.asm")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("dev.tortie.dataplane.bpf.asm", "java.lang..", "java.util..", "java.nio");

    @ArchTest
    static final ArchRule keyLayoutAndDemoArePure = classes()
            .that()
            .resideInAnyPackage("dev.tortie.dataplane.bpf.ipsets", "dev.tortie.dataplane.bpf.demo")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "dev.tortie.dataplane.bpf.asm",
                    "dev.tortie.dataplane.bpf.ipsets",
                    "dev.tortie.dataplane.bpf.demo",
                    "dev.tortie.engine.ir",
                    "dev.tortie.engine.net",
                    "dev.tortie.engine.model",
                    "java.lang..",
                    "java.util..",
                    "java.nio");

    @ArchTest
    static final ArchRule pureOnesDoNoIo = noClasses()
            .that()
            .resideInAnyPackage(
                    "dev.tortie.dataplane.bpf.asm", "dev.tortie.dataplane.bpf.ipsets", "dev.tortie.dataplane.bpf.demo")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(System.class, Runtime.class, ProcessBuilder.class, Process.class, Thread.class);

    @ArchTest
    static final ArchRule policyBuilderIsPure = classes()
            .that()
            .resideInAPackage("dev.tortie.dataplane.bpf.polprog")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "dev.tortie.dataplane.bpf.asm",
                    "dev.tortie.dataplane.bpf.ipsets",
                    "dev.tortie.dataplane.bpf.polprog",
                    "dev.tortie.engine.ir",
                    "dev.tortie.engine.net",
                    "dev.tortie.engine.model",
                    "java.lang..",
                    "java.util..",
                    "java.nio");

    @ArchTest
    static final ArchRule policyBuilderDoesNoIo = noClasses()
            .that()
            .resideInAPackage("dev.tortie.dataplane.bpf.polprog")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(System.class, Runtime.class, ProcessBuilder.class, Process.class, Thread.class);

    @ArchTest
    static final ArchRule driverStaysOffOtherBackends = noClasses()
            .that()
            .resideInAPackage("dev.tortie.dataplane.bpf")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.tortie.dataplane.render..",
                    "dev.tortie.dataplane.driver..",
                    "dev.tortie.dataplane.plan..",
                    "dev.tortie.dataplane.lab..",
                    "dev.tortie.engine.compile..",
                    "dev.tortie.engine.eval..",
                    "dev.tortie.engine.load..");

    @ArchTest
    static final ArchRule syscallsStayInSys = noClasses()
            .that()
            .resideOutsideOfPackage("dev.tortie.dataplane.bpf.sys")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("jnr..");

    @ArchTest
    static final ArchRule sysUsesOnlyTheAssemblerOfTortie = noClasses()
            .that()
            .resideInAPackage("dev.tortie.dataplane.bpf.sys")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.tortie.engine..",
                    "dev.tortie.dataplane.render..",
                    "dev.tortie.dataplane.driver..",
                    "dev.tortie.dataplane.plan..",
                    "dev.tortie.dataplane.lab..");
}
