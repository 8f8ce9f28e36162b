// The commented default configuration `ratchain config init` writes. Every value here is the
// built-in default, so the file documents the settings without changing behaviour.
export const DEFAULT_CONFIG_YAML = `# ratchain configuration (MITRE ATT&CK DET0496, T1219 Remote Access Tools).
# Setting names are the mutable elements as MITRE names them. Durations: 90s, 15m, 2h.

# Steps (start, persistence, egress, child) must fall inside this window to form one chain.
TimeWindow: 15m

# Steps needed to report a chain: 3 or 4 alert; 2 also shows low-severity signals; 1 shows all.
MinSteps: 3

# Events may arrive this late (event time) across inputs and still be used; later ones are dropped and counted.
Lateness: 5m

# Networks that are NOT external. Defaults: RFC 1918, CGNAT, loopback, link-local, multicast, ULA.
# Labs often put their "internet" on a private range: carve it out with "!".
# InternalNetworks: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 127.0.0.0/8,
#                    169.254.0.0/16, 224.0.0.0/4, "::1/128", "fe80::/10", "fc00::/7", "!10.10.10.5/32"]

# IP address -> host name, for joining network flows (Zeek) to hosts.
HostAliases: {}
#  10.1.2.3: ws01

UserContext:
  # Help-desk and jump hosts where remote tools are expected (regexes on host names).
  SupportHosts: []
  # Admin accounts (regexes on DOMAIN\\\\user or user).
  AdminUsers: []
  AdminGroups: []       # kept for MITRE's UserContext; no sensor read here reports groups yet

# Approved tools. A chain of an approved tool on an approved host, from its approved path,
# talking to allowlisted infrastructure is suppressed; anything outside that still alerts.
ProcessAllowlist: []
#  - tool: anydesk                      # catalogue id, or image: <regex>
#    hosts: ['^helpdesk-']              # regexes; empty = every host
#    paths: ['^c:\\\\program files( \\(x86\\))?\\\\anydesk\\\\']
#    note: help-desk remote support
DaemonAllowlist: []
LaunchdAllowlist: []
#  - label: '^com\\.teamviewer\\.'
AllowedAppBundlePaths: []
#  - '^/applications/'

# User-writable and temporary locations (regexes, case-insensitive). Omit for the rule packs' list.
# InstallPathRegex: ['^[a-z]:\\\\users\\\\[^\\\\]+\\\\downloads\\\\', '^/tmp/']

# Vendor clouds and CDNs whose connections do not count as egress.
ExternalIPAllowlist:
  cidrs: []
  domains: []            # globs: '*.anydesk.com'
  presets: []            # catalogue tool ids whose vendor domains are allowed: [anydesk, teamviewer]

ShellSpawnRegex:
  # shells: '(^|[\\\\/])(cmd|powershell|bash|sh)(\\.exe)?$'   # children that count as interactive control
  acceptable: []         # parent/child pairs that are normal: - {parent: 'code\\.exe$', child: 'powershell\\.exe$'}

# Command lines that make a child suspicious. Omit for the rule packs' list (encoded PowerShell,
# download cradles, bash -i, curl | sh, ...).
# SuspiciousChildProcesses: ['\\s-enc(odedcommand)?\\s']

EgressHeuristics:
  MinSessionDuration: 5m   # a session at least this long is long-lived (needs flow duration)
  MinConnections: 5        # this many connections to one destination inside the window is beaconing
  BytesOutInRatio: 3       # bytes out / bytes in at or above this is client-heavy (screen upload)
  OpenConnectionAge: 5m    # a connection from a process that ended sooner does not count as open

# Clock skew tolerated when joining flows to host connections.
FlowJoinTolerance: 30s
# The largest offset between a host's clock and the flow sensor's that joins still bridge. Each
# host's offset is estimated from connections both sensors saw (same ports) and applied to its flows.
MaxClockSkew: 10m

# Extra catalogue files (ratchain format or LOLRMM rmm_tools.json).
Catalogs: []

# What counts (roles, persistence locations, suspicious commands, weights, severities) lives in
# rule packs (\`ratchain rules list\`). Add your own pack files, or change one entry by its id.
Rules:
  Files: []              # relative to this file; an entry with a built-in id replaces it
  Override: {}
#    control.children.linux-shells: { names: [bash, sh, zsh] }   # fewer shells count as control
#    score.weights.temp_path: { delta: 20 }
#    persistence.files.linux-cron: null                           # null removes an entry

# Bounds on live state; evictions are counted and reported. An agent holds one chain at a time
# (a new one starts after the last closed); its evidence is capped by EvidencePerStep.
Limits:
  AgentsPerHost: 512
  ProcessesPerHost: 20000
  Hosts: 100000
  EvidencePerStep: 8
`;
