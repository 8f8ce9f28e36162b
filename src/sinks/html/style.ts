// The HTML report's stylesheet, inlined into the page so the file opens offline.
export const REPORT_CSS = `
:root{--bg:#f7f7f8;--fg:#1d1f23;--mut:#666b74;--line:#dcdee3;--card:#fff;
--critical:#8e1b7a;--high:#c62828;--medium:#d08500;--low:#1f7a9c;--info:#7a7f87;--ok:#2e7d32}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{padding:14px 22px;background:#1d1f23;color:#fff}
header h1{margin:0;font-size:18px}
header .sub{color:#b9bdc5;font-size:12px}
main{padding:16px 22px;max-width:1500px;margin:0 auto}
h2{font-size:15px;margin:18px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:120px}
.card .n{font-size:22px;font-weight:600}
.card.sev{cursor:pointer;border-left:5px solid var(--info)}
.card.sev.on{outline:2px solid #333}
.sev-critical{border-left-color:var(--critical)!important}.sev-high{border-left-color:var(--high)!important}
.sev-medium{border-left-color:var(--medium)!important}.sev-low{border-left-color:var(--low)!important}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 12px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--mut);font-size:12px}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{height:8px;background:#c9ccd3;border-radius:4px}
.clickable{cursor:pointer}.clickable:hover{background:#eef0f4}
.badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:11px;font-weight:600;text-transform:uppercase}
.b-critical{background:var(--critical)}.b-high{background:var(--high)}.b-medium{background:var(--medium)}
.b-low{background:var(--low)}.b-info{background:var(--info)}
.status{color:var(--mut);font-size:12px}
.filters{display:flex;gap:8px;align-items:center;margin:8px 0;flex-wrap:wrap}
.filters input{padding:5px 8px;border:1px solid var(--line);border-radius:4px;min-width:260px}
.filters select{padding:4px}
.layout{display:grid;grid-template-columns:minmax(380px,1fr) minmax(480px,1.4fr);gap:14px;align-items:start}
@media (max-width:1000px){.layout{grid-template-columns:1fr}}
#list tr.sel{background:#e3ecfb}
#more{margin:8px 0}
button{padding:4px 10px;border:1px solid var(--line);background:#fff;border-radius:4px;cursor:pointer}
#detail{position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto}
#detail h3{margin:4px 0;font-size:16px;word-break:break-word}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px}
.kv dt{color:var(--mut)}.kv dd{margin:0;word-break:break-all}
.step{border-left:3px solid var(--line);padding:4px 10px;margin:8px 0}
.step.seen{border-left-color:#3b6fd8}.step.missing{border-left-style:dashed;color:var(--mut)}
.step .why{color:var(--mut);font-size:12px}
.ev{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;word-break:break-all;background:#f2f3f6;padding:4px 6px;border-radius:4px;margin:3px 0}
.ev.hl{outline:2px solid #3b6fd8}
details summary{cursor:pointer;color:#2458c5}
svg.timeline{width:100%;height:150px;background:#fbfbfc;border:1px solid var(--line);border-radius:4px}
svg.timeline text{font-size:10px;fill:#555}
svg.timeline .lane{stroke:#e6e7eb}
svg.timeline .span{stroke:#3b6fd8;stroke-width:4;stroke-linecap:round;opacity:.45}
svg.timeline circle{fill:#3b6fd8;cursor:pointer}
svg.timeline circle:hover{fill:#c62828}
.reasons td.num{width:50px}
.plus{color:var(--high)}.minus{color:var(--ok)}
.muted{color:var(--mut)}
.empty{padding:20px;color:var(--mut)}
`;
