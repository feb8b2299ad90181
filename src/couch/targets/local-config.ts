/**
 * Configuration for a CouchDB release couchbench starts itself: everything that must differ
 * for it to run beside another CouchDB on the same machine, as pure text.
 */
export interface LocalInstanceSettings {
  nodeName: string;
  cookie: string;
  httpPort: number;
  backendPort: number;
  dataDir: string;
  logFile: string;
  adminUser: string;
  /** As written to `[admins]`: plain text, or a hash CouchDB keeps as it is. */
  adminPassword: string;
  /** A node of a cluster: CouchDB must not set itself up as a single node. */
  clustered?: boolean;
}

/** The release's vm.args with our own node name and cookie, so two nodes never collide. */
export function renderVmArgs(releaseVmArgs: string, settings: LocalInstanceSettings): string {
  const kept = releaseVmArgs.split("\n").filter((line) => !/^\s*-(s?name|setcookie)\s/.test(line));
  return [`-name ${settings.nodeName}`, `-setcookie ${settings.cookie}`, ...kept].join("\n") + "\n";
}

/** The last ini file of the chain: CouchDB writes runtime config changes (the hashed admin password) there. */
export function renderLocalIni(settings: LocalInstanceSettings): string {
  return `[couchdb]
database_dir = ${settings.dataDir}
view_index_dir = ${settings.dataDir}
single_node = ${!settings.clustered}

[chttpd]
port = ${settings.httpPort}
bind_address = 127.0.0.1

[httpd]
port = ${settings.backendPort}
bind_address = 127.0.0.1

[native_query_servers]
enable_erlang_query_server = true

[smoosh]
state_dir = ${settings.dataDir}

[prometheus]
additional_port = false

[log]
writer = file
file = ${settings.logFile}
level = warning

[admins]
${settings.adminUser} = ${settings.adminPassword}
`;
}
