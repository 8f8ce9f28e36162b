// Hosts for sensors that name none. eslogger output carries no host name; by convention its
// files are saved as <host>.eslogger.ndjson, and the file name gives the host.
const HOST_IN_NAME = /([^/\\]+)\.eslogger\.(nd)?json(\.gz)?$/i;

export function hostFromFileName(file: string): string | undefined {
  return HOST_IN_NAME.exec(file)?.[1];
}
