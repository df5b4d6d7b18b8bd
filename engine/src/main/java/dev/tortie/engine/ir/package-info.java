/**
 * The compiled intermediate representation: per endpoint and direction, ordered tiers of policies of rules, each
 * rule a conjunction of simple matches over IP sets, CIDRs, protocols and ports, with a stable rule id. This is the
 * contract between the engine and the dataplane renderers, and what the evaluator runs.
 *
 * <p>Pure values only: must not import the index, loaders, or anything with I/O.
 */
package dev.tortie.engine.ir;
