/**
 * Azure: Entra access tokens minted for a profile's application with stint's signed assertion
 * ({@code AzureMinter}), and the Activity Log lookups of what they did ({@code AzureActivity}). The
 * only package that imports the Azure SDK.
 */
package dev.stint.mint.azure;
