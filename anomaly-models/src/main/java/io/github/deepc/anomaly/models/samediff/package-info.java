/**
 * Internal SameDiff (ND4J 1.0.0-M2.1) support shared by the library's SameDiff models ({@code cae} and
 * {@code oneclass}): quiet gradient-function creation, training configuration with the loss computed during training,
 * native-array release, image batch arrays, seeded shuffling batch iterators and epoch progress reporting. These
 * classes are public only so that the model packages can share them; they are not API and may change at any time.
 */
package io.github.deepc.anomaly.models.samediff;
