/** Documents `dbfork scan` examines per collection unless `--sample` says otherwise. */
export const DEFAULT_SAMPLE = 1000;
