/**
 * Findings: rules that read each credential's calls as they are kept and flag what leaves what was
 * approved (docs/findings.md). The rules themselves are pure ({@code finding.rules}); this package
 * keeps the queue the migrations fill in each keep's transaction, the baselines, the findings and
 * what follows them (the audit, ending a lease or a grant, the notices), and reads them for the API
 * and the pages.
 */
package dev.stint.finding;
