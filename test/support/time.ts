// iso() lives in harness/ (bench uses it too); tests keep importing it from here.
export * from "../../harness/time";
