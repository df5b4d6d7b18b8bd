package dev.tortie.dataplane.flowlog;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The flow-log package's boundaries (see its package-info). */
@AnalyzeClasses(packages = "dev.tortie.dataplane", importOptions = ImportOption.DoNotIncludeTests.class)
class FlowLogArchitectureTest {
    private static final String[] PURE = {
        "dev.tortie.dataplane.flowlog.FlowAggregator",
        "dev.tortie.dataplane.flowlog.FlowQuery",
        "dev.tortie.dataplane.flowlog.FlowRecord",
        "dev.tortie.dataplane.flowlog.FlowEvent",
        "dev.tortie.dataplane.flowlog.FlowVerdict",
        "dev.tortie.dataplane.flowlog.FlowLogConfig",
        "dev.tortie.dataplane.flowlog.FlowLogStats",
        "dev.tortie.dataplane.flowlog.NflogMessages",
        "dev.tortie.dataplane.flowlog.PacketHeaders"
    };

    @ArchTest
    static final ArchRule aggregatorAndCodecsArePure = noClasses()
            .that()
            .haveFullyQualifiedName(PURE[0])
            .or()
            .haveFullyQualifiedName(PURE[1])
            .or()
            .haveFullyQualifiedName(PURE[2])
            .or()
            .haveFullyQualifiedName(PURE[3])
            .or()
            .haveFullyQualifiedName(PURE[4])
            .or()
            .haveFullyQualifiedName(PURE[5])
            .or()
            .haveFullyQualifiedName(PURE[6])
            .or()
            .haveFullyQualifiedName(PURE[7])
            .or()
            .haveFullyQualifiedName(PURE[8])
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "jnr..",
                    "java.io..",
                    "java.net..",
                    "java.nio.file..",
                    "dev.tortie.dataplane.os..",
                    "dev.tortie.dataplane.bpf..")
            .orShould()
            .dependOnClassesThat()
            .belongToAnyOf(System.class, Runtime.class, Thread.class, ProcessBuilder.class);

    @ArchTest
    static final ArchRule onlyTheNetlinkSocketUsesJnr = noClasses()
            .that()
            .resideInAPackage("dev.tortie.dataplane.flowlog")
            .and()
            .doNotHaveFullyQualifiedName("dev.tortie.dataplane.flowlog.NetlinkSocket")
            .and()
            .doNotHaveFullyQualifiedName("dev.tortie.dataplane.flowlog.NetlinkSocket$LibC")
            .and()
            .doNotHaveFullyQualifiedName("dev.tortie.dataplane.flowlog.NetlinkSocket$Holder")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("jnr..");

    @ArchTest
    static final ArchRule flowLogStaysOffDriversLabAndRenderers = noClasses()
            .that()
            .resideInAPackage("dev.tortie.dataplane.flowlog")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.tortie.dataplane.driver..",
                    "dev.tortie.dataplane.lab..",
                    "dev.tortie.dataplane.plan..",
                    "dev.tortie.dataplane.render.ipset..",
                    "dev.tortie.engine.compile..",
                    "dev.tortie.engine.eval..")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("dev.tortie.dataplane.bpf.BpfDataplane");
}
