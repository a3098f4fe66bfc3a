//! A single self-contained HTML page: a speaker × target heatmap drawn as SVG (colour = verdict,
//! strength = confidence, count in the cell), the evidence of a cell shown on hover or click, the
//! agreement matrices, and every statement in a sortable table. No network access is needed: styles,
//! script and data are inline, and everything is readable without script too.

use std::fmt::Write as _;
use std::io::Write;

use super::{cell_summary, distribution_summary};
use crate::report::{Relation, Report, Verdict};

const CELL_WIDTH: usize = 170;
const CELL_HEIGHT: usize = 44;
const LABEL_WIDTH: usize = 230;
const HEADER_HEIGHT: usize = 36;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn fill(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Favor => "#1a9850",
        Verdict::Against => "#d73027",
        Verdict::Mixed => "#f39c12",
        Verdict::None => "#bdbdbd",
    }
}

fn heatmap(report: &Report) -> String {
    let width = LABEL_WIDTH + CELL_WIDTH * report.targets.len();
    let height = HEADER_HEIGHT + CELL_HEIGHT * report.speakers.len();
    let mut svg = format!(
        r#"<svg id="heatmap" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="stance heatmap">"#
    );
    for (t, target) in report.targets.iter().enumerate() {
        let x = LABEL_WIDTH + t * CELL_WIDTH + CELL_WIDTH / 2;
        let _ = write!(
            svg,
            r#"<text x="{x}" y="24" text-anchor="middle" class="head">{}</text>"#,
            escape(target)
        );
    }
    for (s, speaker) in report.speakers.iter().enumerate() {
        let y = HEADER_HEIGHT + s * CELL_HEIGHT;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end" class="name">{} ({})</text>"#,
            LABEL_WIDTH - 10,
            y + CELL_HEIGHT / 2 + 5,
            escape(&speaker.speaker),
            speaker.statements
        );
        for (t, cell) in speaker.cells.iter().enumerate() {
            let x = LABEL_WIDTH + t * CELL_WIDTH;
            let opacity = if cell.verdict == Verdict::None {
                0.35
            } else {
                0.25 + 0.75 * cell.confidence
            };
            let _ = write!(
                svg,
                r##"<g class="cell" tabindex="0" data-speaker="{s}" data-target="{t}" data-verdict="{verdict}"><title>{title}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="{fill}" fill-opacity="{opacity:.3}" stroke="#fff" stroke-width="2"/><text x="{tx}" y="{ty}" text-anchor="middle" class="label">{label}</text></g>"##,
                verdict = cell.verdict.as_str(),
                title = escape(&format!(
                    "{} · {}: {}",
                    speaker.speaker,
                    cell.target,
                    cell_summary(cell)
                )),
                w = CELL_WIDTH,
                h = CELL_HEIGHT,
                fill = fill(cell.verdict),
                tx = x + CELL_WIDTH / 2,
                ty = y + CELL_HEIGHT / 2 + 5,
                label = escape(&if cell.verdict == Verdict::None {
                    "none".to_string()
                } else {
                    format!("{} · {}", cell.verdict.as_str(), cell.count())
                }),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn agreement_tables(report: &Report) -> String {
    let mut html = String::new();
    for agreement in &report.agreement {
        let _ = write!(
            html,
            "<h3>{}</h3><table class=\"matrix\"><tr><th></th>",
            escape(&agreement.target)
        );
        for s in &report.speakers {
            let _ = write!(html, "<th>{}</th>", escape(&s.speaker));
        }
        html.push_str("</tr>");
        for (i, row) in agreement.matrix.iter().enumerate() {
            let _ = write!(html, "<tr><th>{}</th>", escape(&report.speakers[i].speaker));
            for (j, relation) in row.iter().enumerate() {
                let (class, mark) = match relation {
                    _ if i == j => ("self", ""),
                    Relation::Agree => ("agree", "agree"),
                    Relation::Oppose => ("oppose", "oppose"),
                    Relation::Unclear => ("unclear", "·"),
                };
                let _ = write!(html, "<td class=\"{class}\">{mark}</td>");
            }
            html.push_str("</tr>");
        }
        html.push_str("</table>");
    }
    html
}

fn statement_table(report: &Report) -> String {
    let tasks: Vec<String> = report
        .statements
        .first()
        .map(|s| s.predictions.iter().map(|p| p.task.clone()).collect())
        .unwrap_or_default();
    let mut html = String::from("<table id=\"statements\" class=\"sortable\"><thead><tr><th>speaker</th><th>source</th><th>kind</th><th>statement</th>");
    for task in &tasks {
        let _ = write!(html, "<th>{}</th>", escape(task));
    }
    html.push_str("</tr></thead><tbody>");
    for s in &report.statements {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            escape(&s.speaker),
            escape(&s.source),
            escape(&s.kind),
            escape(&s.text)
        );
        for p in &s.predictions {
            let _ = write!(
                html,
                "<td data-sort=\"{}:{:.4}\">{} {:.2}</td>",
                escape(&p.label),
                p.probability(&p.label),
                escape(&p.label),
                p.probability(&p.label)
            );
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    html
}

fn summary_table(report: &Report) -> String {
    let mut html = String::from("<table class=\"summary\"><tr><th>speaker</th><th>statements</th>");
    for t in report.targets.iter().chain(&report.distributions) {
        let _ = write!(html, "<th>{}</th>", escape(t));
    }
    html.push_str("</tr>");
    for s in &report.speakers {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td>",
            escape(&s.speaker),
            s.statements
        );
        for c in &s.cells {
            let _ = write!(
                html,
                "<td class=\"v-{}\">{}</td>",
                c.verdict.as_str(),
                escape(&cell_summary(c))
            );
        }
        for d in &report.distributions {
            let _ = write!(
                html,
                "<td>{}</td>",
                escape(&distribution_summary(&s.distributions[d]))
            );
        }
        html.push_str("</tr>");
    }
    html.push_str("</table>");
    html
}

/// Report data for the page's script, safe to place inside a `<script>` element.
fn embedded_json(report: &Report) -> anyhow::Result<String> {
    let json = serde_json::to_string(report)?;
    Ok(json.replace("</", "<\\/").replace("<!--", "<\\!--"))
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#222;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
.wrap{display:flex;gap:2rem;align-items:flex-start;flex-wrap:wrap}
#heatmap .head{font-weight:600;font-size:14px}#heatmap .name{font-size:13px}
#heatmap .label{font-size:13px;fill:#111;pointer-events:none}
#heatmap .cell{cursor:pointer}#heatmap .cell:hover rect,#heatmap .cell.selected rect{stroke:#222}
#evidence{max-width:40rem;min-width:20rem;border-left:3px solid #ddd;padding-left:1rem}
#evidence blockquote{margin:.6rem 0;padding:.3rem .6rem;background:#f6f6f6;border-radius:4px}
#evidence .meta{font-size:.85rem;color:#555}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.sortable th{cursor:pointer}.sortable th:after{content:" ⇅";color:#999}
.matrix td{text-align:center;min-width:4rem}.agree{background:#d9f0d3}.oppose{background:#f8d0cc}.self{background:#eee}
.v-favor{color:#1a7f3c}.v-against{color:#b2221a}.v-mixed{color:#b36b00}.v-none{color:#888}
.legend span{display:inline-block;width:1rem;height:1rem;margin:0 .3rem -.2rem 1rem;border-radius:3px}
"#;

const SCRIPT: &str = r#"
(function(){
  var errors=[];
  window.addEventListener('error',function(e){errors.push(String(e.message));document.body.dataset.errors=errors.join(' | ');});
  function text(el,t){el.textContent=t;return el;}
  function show(g){
    var data=JSON.parse(document.getElementById('report-data').textContent);
    var speaker=data.speakers[+g.dataset.speaker],cell=speaker.cells[+g.dataset.target];
    var panel=document.getElementById('evidence');panel.innerHTML='';
    var h=document.createElement('h3');text(h,speaker.speaker+' · '+cell.target+': '+cell.verdict+(cell.verdict==='none'?'':' ('+cell.confidence.toFixed(2)+', '+(cell.favor+cell.against)+' statements)'));panel.appendChild(h);
    if(!cell.evidence.length){panel.appendChild(text(document.createElement('p'),'No statement takes a side on this target.'));}
    cell.evidence.forEach(function(e){
      var s=data.statements[e.statement];
      var q=text(document.createElement('blockquote'),'“'+s.text+'”');panel.appendChild(q);
      panel.appendChild(text(document.createElement('div'),e.side+' '+e.probability.toFixed(2)+' · '+(s.kind?s.kind+' · ':'')+s.source)).className='meta';
    });
    Array.prototype.forEach.call(document.querySelectorAll('#heatmap .cell'),function(c){c.classList.toggle('selected',c===g);});
  }
  Array.prototype.forEach.call(document.querySelectorAll('#heatmap .cell'),function(g){
    g.addEventListener('mouseenter',function(){show(g);});
    g.addEventListener('click',function(){show(g);});
    g.addEventListener('focus',function(){show(g);});
  });
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(table){
    Array.prototype.forEach.call(table.querySelectorAll('th'),function(th,col){
      var ascending=true;
      th.addEventListener('click',function(){
        var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){
          var x=a.cells[col].dataset.sort||a.cells[col].textContent,y=b.cells[col].dataset.sort||b.cells[col].textContent;
          return (ascending?1:-1)*x.localeCompare(y,undefined,{numeric:true});
        });
        ascending=!ascending;rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
  document.body.dataset.cells=document.querySelectorAll('#heatmap .cell').length;
  document.body.dataset.ready='1';
})();
"#;

/// Writes the report as one self-contained HTML page.
pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    let sources: std::collections::BTreeSet<&str> =
        report.statements.iter().map(|s| s.source.as_str()).collect();
    let intro = if report.speakers.is_empty() {
        "<p>No statement with an identified speaker was found, so there is nothing to report.</p>".to_string()
    } else {
        format!(
            "<p>{}, {} from {}. A statement takes a side when its probability exceeds {:.2}; colour = verdict, strength = confidence, number = statements behind it. Hover or click a cell for its evidence.</p>",
            super::count(report.speakers.len(), "speaker"),
            super::count(report.statements.len(), "statement"),
            super::count(sources.len(), "source"),
            report.settings.threshold
        )
    };
    write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>stance report</title><style>{STYLE}</style></head>
<body>
<h1>Stance by speaker</h1>
{intro}
<p class="legend"><span style="background:#1a9850"></span>favor<span style="background:#d73027"></span>against<span style="background:#f39c12"></span>mixed<span style="background:#bdbdbd"></span>none</p>
<div class="wrap">{heatmap}<div id="evidence"><p>Hover or click a cell to see the statements behind it.</p></div></div>
<h2>Summary</h2>
{summary}
<h2>Who agrees with whom</h2>
{agreement}
<h2>Statements</h2>
{statements}
<script type="application/json" id="report-data">{data}</script>
<script>{SCRIPT}</script>
</body></html>
"#,
        heatmap = heatmap(report),
        summary = summary_table(report),
        agreement = agreement_tables(report),
        statements = statement_table(report),
        data = embedded_json(report)?,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_script_endings() {
        assert_eq!(
            escape("<b>\"A\" & 'B'</b>"),
            "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;"
        );
        let report = crate::report::aggregate(Vec::new(), &Default::default());
        assert!(!embedded_json(&report).unwrap().contains("</"));
    }
}
