package dev.tortie.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine is pure: values in, values out. These rules keep I/O, clocks and UI/cluster libraries out of it. */
class ArchitectureTest {
    private static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tortie.engine");
    }

    @Test
    void engineDoesNoFileSocketOrProcessIo() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.tortie.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.nio.file..", "java.net..", "java.nio.channels..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.File")
                .orShould()
                .dependOnClassesThat()
                .haveNameMatching("java\\.io\\.(File|RandomAccessFile).*")
                .orShould()
                .dependOnClassesThat()
                .haveNameMatching("java\\.lang\\.(Process|ProcessBuilder|Runtime|Thread)")
                .because("engine is pure: reading files, sockets and processes is the shell's and dataplane's job");
        rule.check(engine);
    }

    @Test
    void engineReadsNoClockOrEnvironment() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.tortie.engine..")
                .should()
                .callMethod(System.class, "getenv")
                .orShould()
                .callMethod(System.class, "getenv", String.class)
                .orShould()
                .callMethod(System.class, "getProperty", String.class)
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.time.Clock")
                .orShould()
                .callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                        com.tngtech.archunit.core.domain.properties.HasName.Predicates.name("now")))
                .because("verdicts must not depend on when or where they are computed");
        rule.check(engine);
    }

    @Test
    void engineUsesNoClusterTerminalOrNativeLibraries() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.tortie.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.fabric8..", "org.jline..", "jnr..", "com.kenai..", "picocli..", "org.fusesource..")
                .because("the engine is shared by the shell and the agent and must stay free of their libraries");
        rule.check(engine);
    }

    @Test
    void irDependsOnlyOnValues() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.tortie.engine.ir..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.tortie.engine.index..",
                        "dev.tortie.engine.compile..",
                        "dev.tortie.engine.load..",
                        "dev.tortie.engine.convert..",
                        "dev.tortie.engine.eval..")
                .because("the IR is the contract with the dataplane: plain values only");
        rule.check(engine);
    }
}
