// The HTML report's stylesheet, inlined into the page so the file opens offline. Nothing may be
// wider than the viewport (phones at 390 px included): grids shrink to one column, long words
// (paths, hashes, encoded commands) break, wide tables scroll inside their panel. The print
// stylesheet drops the controls and prints the open finding in full.
export const REPORT_CSS = `
:root{--bg:#f7f7f8;--fg:#1d1f23;--mut:#666b74;--line:#dcdee3;--card:#fff;
--critical:#8e1b7a;--high:#c62828;--medium:#d08500;--low:#1f7a9c;--info:#7a7f87;--ok:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{padding:14px 22px;background:#1d1f23;color:#fff}
header h1{margin:0;font-size:18px;overflow-wrap:anywhere}
header .sub{color:#b9bdc5;font-size:12px;overflow-wrap:anywhere}
main{padding:16px 22px;max-width:1500px;margin:0 auto}
h2{font-size:15px;margin:18px 0 8px}
a{color:#2458c5}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:100px}
.card .n{font-size:22px;font-weight:600}
.card.sev{cursor:pointer;border-left:5px solid var(--info)}
.card.sev.on{outline:2px solid #333}
.sev-critical{border-left-color:var(--critical)!important}.sev-high{border-left-color:var(--high)!important}
.sev-medium{border-left-color:var(--medium)!important}.sev-low{border-left-color:var(--low)!important}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(320px,100%),1fr));gap:12px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 12px;min-width:0}
.scroll{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--mut);font-size:12px;white-space:nowrap}
th[data-sort]{cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" \\25b2"}th[aria-sort=descending]::after{content:" \\25bc"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.wrap{overflow-wrap:anywhere}
.wrap{overflow-wrap:anywhere}
.bar{height:8px;background:#c9ccd3;border-radius:4px}
.clickable{cursor:pointer}.clickable:hover{background:#eef0f4}
.badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:11px;font-weight:600;text-transform:uppercase}
.b-critical{background:var(--critical)}.b-high{background:var(--high)}.b-medium{background:var(--medium)}
.b-low{background:var(--low)}.b-info{background:var(--info)}
.status{color:var(--mut);font-size:12px}
.filters{display:flex;gap:8px;align-items:center;margin:8px 0;flex-wrap:wrap}
.filters input[type=search]{padding:5px 8px;border:1px solid var(--line);border-radius:4px;min-width:0;width:min(320px,100%)}
.filters input,.filters select{max-width:100%}
.filters label{white-space:nowrap}
.export{margin-left:auto}
.narrow-only{display:none}
.layout{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.4fr);gap:14px;align-items:start}
@media (max-width:1000px){.layout{grid-template-columns:minmax(0,1fr)}}
#list tr.sel{background:#e3ecfb}
#more{margin:8px 0}
button{padding:4px 10px;border:1px solid var(--line);background:#fff;border-radius:4px;cursor:pointer;font:inherit}
#detail{position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto}
#detail h3{margin:4px 0;font-size:16px;overflow-wrap:anywhere}
.kv{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px;font-size:13px}
.kv dt{color:var(--mut)}.kv dd{margin:0;overflow-wrap:anywhere;word-break:break-all}
.step{border-left:3px solid var(--line);padding:4px 10px;margin:8px 0;overflow-wrap:anywhere}
.step.seen{border-left-color:#3b6fd8}.step.missing{border-left-style:dashed;color:var(--mut)}
.step .why{color:var(--mut);font-size:12px}
.ev,pre.raw,code.cmd{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;word-break:break-all;background:#f2f3f6;padding:4px 6px;border-radius:4px;margin:3px 0}
.ev.hl{outline:2px solid #3b6fd8}
pre.raw{background:#1d1f23;color:#e8e8e8;max-height:320px;overflow:auto}
code.cmd{display:block}
.raw-btn{font-size:11px;padding:1px 6px;margin-top:3px}
details summary{cursor:pointer;color:#2458c5}
svg.timeline{width:100%;height:150px;background:#fbfbfc;border:1px solid var(--line);border-radius:4px}
svg.timeline text,svg.fleet text{font-size:10px;fill:#555}
svg.timeline .lane,svg.fleet .lane{stroke:#e6e7eb}
svg.timeline .span{stroke:#3b6fd8;stroke-width:4;stroke-linecap:round;opacity:.45}
svg.timeline circle{fill:#3b6fd8;cursor:pointer}
svg.timeline circle:hover{fill:#c62828}
svg.fleet{width:100%;display:block;background:#fbfbfc;cursor:crosshair}
svg.fleet .axis{stroke:#999}svg.fleet .tick{stroke:#eee}
svg.fleet rect.f{cursor:pointer;opacity:.85}svg.fleet rect.f:hover{opacity:1;stroke:#000}
.f-critical{fill:var(--critical)}.f-high{fill:var(--high)}.f-medium{fill:var(--medium)}.f-low{fill:var(--low)}.f-info{fill:var(--info)}
svg.fleet .brush{fill:#3b6fd8;opacity:.2}
#remediation li{margin:6px 0}
.reasons td.num{width:50px}
.plus{color:var(--high)}.minus{color:var(--ok)}
.muted{color:var(--mut)}
.empty{padding:20px;color:var(--mut)}
@media (max-width:600px){
main{padding:10px}header{padding:10px}
.col-tool,.col-time,.narrow-hide{display:none}
.narrow-only{display:inline-block}
.kv{grid-template-columns:minmax(0,1fr)}.kv dt{margin-top:4px}
.export{margin-left:0}
#detail{position:static;max-height:none}
}
@media print{
body{background:#fff}
header{background:#fff;color:#000;border-bottom:1px solid #000}header .sub{color:#333}
.filters,#more,#fleet,.raw-btn,button{display:none!important}
.layout{display:block}
#detail{position:static;max-height:none;overflow:visible;border:0}
.list-panel{break-after:page}
details.evidence>*{display:block}
pre.raw{max-height:none;background:#fff;color:#000;border:1px solid #999}
.panel{break-inside:avoid-page}
a{color:#000}
}
`;
