package io.wingu.controlplane.app;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The package graph points one way (docs/ARCHITECTURE.md): a capability's store is its own, the
 * console reaches capabilities through their services, and no capability packages form a cycle.
 * Runs on the production classes only; a failing rule fails the build.
 */
@AnalyzeClasses(
    packages = "io.wingu.controlplane",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String ROOT = "io.wingu.controlplane";

  /**
   * A store (SQL) is used only by the classes of its own package: everyone else goes through its
   * service.
   */
  @ArchTest
  static final ArchRule storesStayInTheirPackage =
      classes()
          .that()
          .resideInAPackage(ROOT + "..")
          .and()
          .haveSimpleNameEndingWith("Store")
          .should(beUsedOnlyInTheirOwnPackage());

  /** The console turns service calls into view models: no store, no REST routes, no wiring. */
  @ArchTest
  static final ArchRule consoleUsesServicesOnly =
      noClasses()
          .that()
          .resideInAPackage(ROOT + ".web..")
          .should()
          .dependOnClassesThat(
              resideInAPackage(ROOT + "..")
                  .and(
                      simpleNameEndingWith("Store")
                          .or(simpleNameEndingWith("Routes"))
                          .or(resideInAPackage(ROOT + ".wiring..")))
                  .as("are a store, a *Routes class or the wiring"));

  /** Only the composition root knows the wiring. */
  @ArchTest
  static final ArchRule wiringIsTheRoot =
      noClasses()
          .that()
          .resideOutsideOfPackage(ROOT + ".wiring..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(ROOT + ".wiring..");

  /**
   * The product never calls the dev tooling (module wingu-dev, package io.wingu.dev): dev mode
   * starts the packaged control plane as a process, the tests use the tooling in test scope.
   */
  @ArchTest
  static final ArchRule noDevTooling =
      noClasses().should().dependOnClassesThat().resideInAPackage("io.wingu.dev..");

  /**
   * No cycles between the packages under io.wingu.controlplane. The composition root imports every
   * capability by design, so dependencies from it are left out.
   */
  @ArchTest
  static final ArchRule noCyclesBetweenCapabilities =
      slices()
          .matching(ROOT + ".(*)..")
          .namingSlices("$1")
          .should()
          .beFreeOfCycles()
          .ignoreDependency(resideInAPackage(ROOT + ".wiring.."), DescribedPredicate.alwaysTrue());

  private static ArchCondition<JavaClass> beUsedOnlyInTheirOwnPackage() {
    return new ArchCondition<>("be used only in their own package") {
      @Override
      public void check(JavaClass store, ConditionEvents events) {
        for (Dependency d : store.getDirectDependenciesToSelf()) {
          if (!d.getOriginClass().getPackageName().equals(store.getPackageName())) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }
}
