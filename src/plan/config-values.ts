/**
 * The project configuration's values (dbfork.yaml, `--config`), looked up by dotted key
 * (`target.uri`) with `${VAR}` filled in, for `{ config: key }` references; undefined for an absent
 * key. May throw the configuration's own usage error (a variable that is not set).
 */
export type ConfigValues = (key: string) => string | undefined;
