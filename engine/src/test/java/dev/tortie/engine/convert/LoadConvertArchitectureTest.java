package dev.tortie.engine.convert;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** load and convert are pure: text and trees in, model values and diagnostics out (see their package-info). */
@AnalyzeClasses(
        packages = {"dev.tortie.engine.load", "dev.tortie.engine.convert"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class LoadConvertArchitectureTest {

    @ArchTest
    static final ArchRule onlyModelSelectorYamlAndJdk = classes()
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "dev.tortie.engine.load",
                    "dev.tortie.engine.convert",
                    "dev.tortie.engine.model",
                    "dev.tortie.engine.net",
                    "dev.tortie.engine.selector",
                    "org.snakeyaml.engine.v2..",
                    "java.lang..",
                    "java.util..",
                    "java.math..");

    @ArchTest
    static final ArchRule noClockEnvironmentOrProcesses = noClasses()
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(System.class, Runtime.class, ProcessBuilder.class, Process.class, Thread.class);

    @ArchTest
    static final ArchRule onlyTheParserReadsYaml = noClasses()
            .that()
            .resideInAPackage("dev.tortie.engine.convert")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.snakeyaml..");
}
