// The provider host driver lives in harness/ (bench uses it too); tests keep importing it from here.
export * from "../../harness/host";
