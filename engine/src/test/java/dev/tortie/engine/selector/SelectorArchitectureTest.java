package dev.tortie.engine.selector;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The selector package is pure: JDK collections, text and hashing only (see package-info). */
@AnalyzeClasses(packages = "dev.tortie.engine.selector", importOptions = ImportOption.DoNotIncludeTests.class)
class SelectorArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheJdkCore = classes()
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "dev.tortie.engine.selector",
                    "java.lang..",
                    "java.util..",
                    "java.nio.charset..",
                    "java.security..");

    @ArchTest
    static final ArchRule noClockEnvironmentOrProcesses = noClasses()
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(System.class, Runtime.class, ProcessBuilder.class, Process.class, Thread.class);
}
