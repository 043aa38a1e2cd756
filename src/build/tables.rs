//! Tables inside the tree: opening a table at its header line, taking back rows that PDF
//! extraction placed after a later article heading, and filling each table with the rows
//! [`crate::table`] recovers from its lines once the whole document has been read.

use super::*;

impl Builder<'_> {
    /// Moves table rows that extraction placed after an article heading back to the last
    /// table; returns how many lines were taken.
    pub(super) fn displaced_rows(&mut self, from: usize) -> usize {
        let (true, Some(wrap)) = (!self.tables.is_empty(), self.wrap_width) else {
            return 0;
        };
        let limit = wrap * 4 / 5;
        let run = self.lines[from..]
            .iter()
            .take_while(|l| matches!(classify(&l.text), Class::Text | Class::TableHeader))
            .count();
        if run < 2 {
            return 0;
        }
        let (rows, last) = (
            &self.lines[from..from + run - 1],
            &self.lines[from + run - 1],
        );
        if last.max_width() <= limit || rows.iter().any(|l| l.max_width() > limit) {
            return 0;
        }
        let article = self
            .stack
            .last()
            .and_then(|o| o.node.label.clone())
            .unwrap_or_default();
        let table = self.tables.last_mut().expect("checked non-empty");
        for i in from..from + run - 1 {
            table.lines.push(i);
            table.displaced.insert(i, article.clone());
        }
        run - 1
    }

    /// Recovers every table's rows from its lines and puts them into the table node.
    pub(super) fn assemble_tables(&mut self) {
        let mut assembled: HashMap<String, Vec<Node>> = HashMap::default();
        for t in std::mem::take(&mut self.tables) {
            let lines: Vec<&Line> = t.lines.iter().map(|&i| &self.lines[i]).collect();
            let mut rows = Vec::new();
            for (n, r) in table::rows(&lines).into_iter().enumerate() {
                let first = lines[r.lines.start];
                let mut digits = itoa::Buffer::new();
                let base = [t.id.as_str(), "__row_", digits.format(n + 1)].concat();
                let id = self.unique(base, first.line);
                let mut row = Node::new(Kind::Row, id, first.line);
                row.end_line = r
                    .lines
                    .clone()
                    .map(|k| lines[k].end_line)
                    .max()
                    .unwrap_or(first.line);
                if let Some(article) = r.lines.clone().find_map(|k| t.displaced.get(&t.lines[k])) {
                    self.diags.push(Diagnostic::warning(
                        "row-moved",
                        first.line,
                        format!(
                            "table row `{}` stood after the heading of {article}; moved back to the end of table `{}`",
                            short(&r.cells[0]),
                            t.id
                        ),
                    ));
                }
                row.cells = r.cells;
                rows.push(row);
            }
            assembled.insert(t.id, rows);
        }
        // One walk puts every table's rows in place.
        let suppl = self
            .doc
            .supplementary
            .iter_mut()
            .flat_map(|s| s.entries.iter_mut());
        for n in self.doc.body.iter_mut().chain(suppl) {
            place_rows(n, &mut assembled);
        }
    }

    pub(super) fn open_table(&mut self, line: &Line) {
        let parent = self
            .stack
            .last_mut()
            .expect("table_may_start checked a paragraph");
        parent.tables += 1;
        let n = parent.tables;
        let id = format!("{}__table_{n}", parent.node.id);
        let id = self.unique(id, line.line);
        let mut node = Node::new(Kind::Table, id, line.line);
        node.num = Some(n.to_string());
        node.heading = Some(line.text.clone());
        self.tables.push(TableLines {
            id: node.id.clone(),
            lines: Vec::new(),
            displaced: HashMap::default(),
        });
        self.open(Open::new(node));
    }
}

pub(super) fn place_rows(n: &mut Node, rows: &mut HashMap<String, Vec<Node>>) {
    if rows.is_empty() {
        return;
    }
    if n.kind == Kind::Table {
        if let Some(r) = rows.remove(&n.id) {
            n.children = r;
        }
        return;
    }
    for c in n.children.iter_mut() {
        place_rows(c, rows);
    }
}
