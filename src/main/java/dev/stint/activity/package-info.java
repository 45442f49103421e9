/**
 * Activity per grant: what each credential handed out for a request was used for, looked up in the
 * cloud's own logs through {@link dev.stint.mint.ActivityLookup}, kept once per call, shown per
 * request and summed up in the audit when the grant has ended and its records have arrived.
 */
package dev.stint.activity;
