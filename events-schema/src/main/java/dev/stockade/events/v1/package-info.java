/**
 * Version 1 of Stockade's wire records, JSON-encoded by {@link dev.stockade.events.v1.WireJson}.
 * Every record carries {@code schemaVersion}; readers accept 1 and reject anything else with a
 * reason (the record goes to the dead-letter topic). Compatible additions keep version 1 (readers
 * ignore unknown fields); a breaking change is a new package {@code v2} and a new version number.
 */
package dev.stockade.events.v1;
