/** The emulated dialog's styles, injected once by flow.js; every class starts with `cfe-`. */
export const DIALOG_CSS = `
.cfe-backdrop{position:fixed;inset:0;background:rgba(15,23,42,.55);display:flex;align-items:center;justify-content:center;z-index:2147483000;font:15px/1.45 system-ui,sans-serif}
.cfe-dialog{background:#fff;color:#0f172a;border-radius:12px;box-shadow:0 20px 50px rgba(0,0,0,.3);width:min(420px,92vw);padding:24px;position:relative}
.cfe-dialog h2{margin:0 0 4px;font-size:20px}
.cfe-note{margin:0 0 16px;color:#b45309;font-size:13px}
.cfe-steps{margin:0 0 16px;padding-left:20px}
.cfe-steps li[data-status=success]{color:#15803d}
.cfe-steps li[data-status=failed]{color:#b91c1c}
.cfe-state{margin:0 0 16px;font-weight:600}
.cfe-actions{display:flex;flex-wrap:wrap;gap:8px}
.cfe-actions button{font:inherit;padding:8px 14px;border-radius:8px;border:1px solid #cbd5e1;background:#f8fafc;cursor:pointer}
.cfe-actions button.cfe-pass{background:#15803d;border-color:#15803d;color:#fff}
.cfe-actions button.cfe-fail{background:#b91c1c;border-color:#b91c1c;color:#fff}
.cfe-actions button:disabled{opacity:.6;cursor:wait}
.cfe-close{position:absolute;top:10px;right:12px;border:0;background:none;font-size:20px;cursor:pointer}
`;
