//! The shared document, checked as a user would: counts, captions, dates, metadata,
//! the nothing-lost property, and a snapshot of the whole JSON (read against the text).

mod common;

use yakkan::{DefKind, Document, Kind, Node, Scope};

fn seed() -> (Document, Vec<yakkan::Diagnostic>) {
    yakkan::parse(&common::seed_bytes())
}

fn children(n: &Node, kind: Kind) -> Vec<&Node> {
    n.children.iter().filter(|c| c.kind == kind).collect()
}

fn articles(doc: &Document) -> Vec<&Node> {
    doc.nodes()
        .into_iter()
        .filter(|n| n.kind == Kind::Article)
        .collect()
}

#[test]
fn metadata() {
    let (doc, _) = seed();
    let m = &doc.meta;
    assert_eq!(m.title.as_deref(), Some("一般規程"));
    assert_eq!(m.as_of.as_deref(), Some("2025-07-18"));
    assert_eq!(m.as_of_text.as_deref(), Some("令和 7年 7月 18日現在"));
    assert_eq!(
        m.publisher.as_deref(),
        Some("株式会社インターネットイニシアティブ")
    );
    assert_eq!(m.doc_code.as_deref(), Some("IIJ-REG001-0040"));
}

#[test]
fn ten_chapters_with_titles() {
    let (doc, _) = seed();
    let titles: Vec<&str> = doc
        .body
        .iter()
        .filter(|n| n.kind == Kind::Chapter)
        .map(|n| n.title.as_deref().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "総則",
            "申込及び承諾等",
            "契約事項の変更",
            "契約者の義務",
            "品質保証、責任の限定等",
            "利用の制限、中止及び停止並びにサービスの廃止",
            "契約の解除",
            "料金等",
            "契約者情報",
            "雑則"
        ]
    );
    assert_eq!(doc.body.len(), 10, "nothing but chapters in the body");
}

#[test]
fn forty_six_articles_with_captions_and_paragraph_counts() {
    let (doc, _) = seed();
    let arts = articles(&doc);
    assert_eq!(arts.len(), 46);
    // (paragraphs, items per paragraph) for every article, read off the source text.
    let expected: [(&str, &[usize]); 46] = [
        ("約款の適用", &[0]),
        ("約款の変更", &[0, 0]),
        ("用語の定義", &[0]),
        ("約款の構成", &[0]),
        ("ID 及びパスワード", &[0, 0, 0]),
        ("サービスの提供区域及び提供対象者の範囲", &[0, 0]),
        ("準拠法及び専属的合意管轄裁判所", &[0]),
        ("契約の単位", &[0]),
        ("権利義務の譲渡制限", &[0]),
        ("本約款の優先", &[0]),
        ("利用の申込", &[0]),
        ("申込の承諾等", &[0, 0]),
        ("申込の拒絶", &[7, 0]),
        ("サービス内容の変更", &[0, 0]),
        ("契約者の名称の変更等", &[0]),
        ("法人の契約上の地位の承継", &[0]),
        ("個人の契約上の地位の引継", &[0, 0]),
        ("契約者の義務", &[0]),
        ("禁止事項", &[3]),
        ("契約者の義務違反", &[0]),
        ("サービスの品質保証又は保証の限定", &[0]),
        ("当社の免責", &[0]),
        ("利用の制限", &[0, 0]),
        ("利用の中止", &[2, 0, 0, 0]),
        ("利用の停止等", &[4, 0]),
        ("サービスの廃止", &[0, 0, 0, 0]),
        ("当社の解除", &[2, 0]),
        ("契約者の解除", &[0, 0, 0]),
        ("契約者の支払義務", &[0, 3, 0]),
        ("料金調定", &[0]),
        ("品質保証違背時の減額", &[0]),
        ("料金の支払方法", &[0]),
        ("割増金", &[0]),
        ("遅延損害金", &[0, 2]),
        ("割増金等の支払方法", &[0]),
        ("消費税", &[0]),
        ("通信の秘密", &[0, 0]),
        ("営業秘密等", &[4, 0, 0, 0]),
        ("個人情報保護", &[0, 4, 0, 0, 0]),
        ("電磁的方法による意思表示", &[0, 4]),
        ("業務委託", &[0]),
        ("サービス利用に必要な役務等", &[0]),
        ("他のサービスとの接続", &[0]),
        ("技術的事項", &[0]),
        ("サイバー攻撃への対処", &[5]),
        ("カスタマーハラスメント", &[10, 0, 0, 0, 0]),
    ];
    for (i, (art, (title, items))) in arts.iter().zip(expected).enumerate() {
        assert_eq!(art.id, format!("art_{}", i + 1));
        assert_eq!(art.title.as_deref(), Some(title), "{}", art.id);
        let paras = children(art, Kind::Paragraph);
        let got: Vec<usize> = paras
            .iter()
            .map(|p| children(p, Kind::Item).len())
            .collect();
        assert_eq!(got, items, "{} paragraphs/items", art.id);
        for (j, p) in paras.iter().enumerate() {
            assert_eq!(p.id, format!("{}__para_{}", art.id, j + 1));
        }
    }
}

#[test]
fn article_17_paragraph_1_continues_across_the_page_break() {
    let (doc, _) = seed();
    let p = doc.find("art_17__para_1").unwrap();
    assert!(p.text.as_deref().unwrap().contains(
        "引き続き当該契約に係る IIJインターネットサービスの提供を受けることができます。"
    ));
    assert_eq!((p.line, p.end_line), (1319, 1328));
    assert_eq!(
        doc.find("art_17__para_2").unwrap().label.as_deref(),
        Some("2")
    );
}

#[test]
fn items_hang_under_their_paragraph() {
    let (doc, _) = seed();
    let item = doc.find("art_13__para_1__item_2").unwrap();
    assert_eq!(item.label.as_deref(), Some("(2)"));
    assert_eq!(
        item.text.as_deref(),
        Some("申込に係る IIJインターネットサービスの提供又は当該サービスに係る装置の保守が技術上著しく困難なとき")
    );
    assert_eq!(
        doc.find("art_46__para_1__item_10").unwrap().text.as_deref(),
        Some("前各号に類する行為")
    );
}

#[test]
fn amendment_history() {
    let (doc, _) = seed();
    let s = doc.supplementary.as_ref().unwrap();
    assert_eq!(s.heading.as_deref(), Some("附則"));
    assert_eq!(s.entries.len(), 139);
    let first = &s.entries[0];
    assert_eq!(
        (first.id.as_str(), first.date.as_deref()),
        ("suppl_1", Some("2004-07-01"))
    );
    assert_eq!(first.date_text.as_deref(), Some("平成 16年 7月 1日"));
    assert_eq!(children(first, Kind::Paragraph).len(), 4);
    assert_eq!(children(&first.children[3], Kind::Item).len(), 2);
    let last = s.entries.last().unwrap();
    assert_eq!(
        (last.id.as_str(), last.date.as_deref()),
        ("suppl_139", Some("2025-07-18"))
    );
    let date_of = |text: &str| {
        s.entries
            .iter()
            .find(|e| e.date_text.as_deref() == Some(text))
            .and_then(|e| e.date.clone())
    };
    assert_eq!(date_of("平成 31年 4月 1日").as_deref(), Some("2019-04-01"));
    assert_eq!(date_of("令和元年 5月 1日").as_deref(), Some("2019-05-01"));
    let dates: Vec<&str> = s
        .entries
        .iter()
        .map(|e| e.date.as_deref().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] < w[1]), "dates increase");
    // 平成30年12月1日 carries a proviso (ただし…) in its one paragraph.
    let proviso = s
        .entries
        .iter()
        .find(|e| e.date.as_deref() == Some("2018-12-01"))
        .unwrap();
    assert!(proviso.children[0]
        .text
        .as_deref()
        .unwrap()
        .contains("ただし、第 45条"));
}

#[test]
fn definitions_table_has_its_117_rows_with_the_displaced_ones_moved_back() {
    let (doc, diags) = seed();
    let table = doc.find("art_3__para_1__table_1").unwrap();
    assert_eq!(table.heading.as_deref(), Some("用語 用語の意味"));
    assert_eq!(table.children.len(), 117);
    assert!(
        table.children.iter().all(|r| r.cells.len() == 2),
        "every row has a term and a definition"
    );
    let terms: Vec<&str> = table.children.iter().map(|r| r.cells[0].as_str()).collect();
    // Tricky rows, in document order: wrapped term cells, wraps at a space, shared lines.
    let expected_in_order = [
        "加入者専用回線",
        "ネットワークオペレーションセンタ",
        "IPアドレス",
        "IIJ IPv6 FiberAccess/Fサービス タイプ PPPoE",
        "IIJモバイルサービス/タイプDS",
        "IIJディレクトリサービス for Microsoft",
        "IIJ GIO インフラストラクチャーP2 Gen.2",
        "IIJ GIO インフラストラクチャーP2",
        "IIJ水管理プラットフォーム for 水田",
        "IIJセンシングデータマネジメントサービス",
        "ID",
        "パスワード",
        "契約アカウント",
        "SEIL",
        "特定接続オプション機能",
        "フレッツ・ADSL接続オプション機能",
        "フレッツ光接続オプション機能",
    ];
    let positions: Vec<usize> = expected_in_order
        .iter()
        .map(|t| {
            terms
                .iter()
                .position(|x| x == t)
                .unwrap_or_else(|| panic!("term {t} missing"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert_eq!(terms[116], "フレッツ光接続オプション機能");
    let def = |term: &str| &table.children[terms.iter().position(|t| *t == term).unwrap()].cells[1];
    assert_eq!(
        def("ルータ"),
        "データの蓄積・交換・中継を行うネットワーク接続装置"
    );
    assert_eq!(
        def("IIJディレクトリサービス for Microsoft"),
        "Microsoft Corporation又はその関連会社(以下、本約款において「Microsoft」とします。)が提供する「Active Directory」及び「Azure AD Connect」の機能を提供する、当社が定める仕様に基づくサービス"
    );
    assert!(def("IIJ クラウドエクスチェンジサービス/タイプ A")
        .contains("と Amazon Web Services, Inc.が提供する"));
    assert_eq!(
        def("ID"),
        "IIJインターネットサービスの利用に伴って当社が契約者に付与する、英字若しくは数字による文字列又はそれらの組み合わせによる文字列。PPPログイン名、ログイン名及びメールアカウント名を含むがこれに限られない。"
    );
    // No text of 第4条–第6条 inside any definition.
    for r in &table.children {
        for probe in ["一般規程", "提供区域", "一般消費者", "管理責任"] {
            assert!(!r.cells[1].contains(probe), "{} contains {probe}", r.id);
        }
    }
    let moved: Vec<&str> = diags
        .iter()
        .filter(|d| d.code == "row-moved")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(moved.len(), 7);
    assert!(moved[0].contains("`ID`") && moved[0].contains("第 6条"));
    // 第6条 keeps exactly its own two paragraphs.
    let art6 = doc.find("art_6").unwrap();
    assert_eq!(art6.children.len(), 2);
    assert!(art6.children[0]
        .text
        .as_deref()
        .unwrap()
        .starts_with("当社がこの約款で提供するサービスの提供区域は"));
}

#[test]
fn definitions_with_scopes_and_uses() {
    let (doc, diags) = seed();
    let defs = &doc.definitions;
    let table: Vec<_> = defs.iter().filter(|d| d.kind == DefKind::Table).collect();
    let inline: Vec<_> = defs.iter().filter(|d| d.kind == DefKind::Inline).collect();
    assert_eq!(table.len(), 117);
    assert!(inline.len() >= 35, "{} inline definitions", inline.len());
    let get = |term: &str| {
        defs.iter()
            .find(|d| d.term == term)
            .unwrap_or_else(|| panic!("{term} not defined"))
    };
    let d = get("元契約者");
    assert_eq!(
        (d.scope, d.defined_in.as_str()),
        (Scope::Paragraph, "art_17__para_1")
    );
    assert_eq!(d.definition, "契約者である個人");
    assert_eq!(d.used_in, ["art_17__para_1"]);
    let d = get("障害時連絡先");
    assert_eq!(
        (d.scope, d.defined_in.as_str()),
        (Scope::Article, "art_24__para_3")
    );
    assert_eq!(d.used_in, ["art_24__para_4"]);
    let d = get("認定協会");
    assert_eq!(
        (d.scope, d.defined_in.as_str()),
        (Scope::Article, "art_45__para_1__item_1")
    );
    assert_eq!(d.used_in, ["art_45__para_1__item_2"]);
    let d = get("カスタマーハラスメント");
    assert_eq!(
        (d.scope, d.defined_in.as_str()),
        (Scope::Document, "art_46__para_1")
    );
    assert_eq!(get("SIM カード").definition, "当社のモバイルサービスを利用した通信を行うために必要なものであって契約者情報を記憶させることができる ICカード");
    assert_eq!(get("NTT").definition, "NTT東日本及び NTT西日本の両社");
    assert_eq!(
        get("デジサート").definition,
        "デジサート・ジャパン合同会社（旧合同会社シマンテック・ウェブサイトセキュリティ）"
    );
    // Longest match: the uses of IIJインターネットサービス exclude those of …契約.
    let service = get("IIJインターネットサービス");
    let contract = get("IIJインターネットサービス契約");
    assert!(
        contract.used_in.contains(&"art_9__para_1".to_string()),
        "契約上の権利義務"
    );
    assert!(
        !service.used_in.contains(&"art_9__para_1".to_string()),
        "art_9 only says …サービス契約"
    );
    // A stray space (`IIJ インターネットサービス`) still counts: 第 26 条 1 項.
    assert!(service.used_in.contains(&"art_26__para_1".to_string()));
    // Captions use terms too: 第5条（ID 及びパスワード）.
    assert!(get("ID").used_in.contains(&"art_5".to_string()));
    let early: Vec<&str> = diags
        .iter()
        .filter(|d| d.code == "used-before-definition")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(early.len(), 1, "{early:?}");
    assert!(early[0].contains("配信コンテンツ"));
}

#[test]
fn the_numbering_scheme_is_reported() {
    let (_, diags) = seed();
    let scheme: Vec<&str> = diags
        .iter()
        .filter(|d| d.code == "numbering-scheme")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        scheme,
        ["paragraphs numbered `２` ×35; items marked `(1)` ×50"]
    );
}

#[test]
fn diagnostics_are_layout_decisions_and_definition_findings() {
    let (_, diags) = seed();
    let mut codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(
        codes,
        [
            "footer-dropped",
            "numbering-scheme",
            "page-break",
            "row-moved",
            "spacer-lines",
            "unused-definition",
            "used-before-definition"
        ]
    );
    assert_eq!(
        diags.iter().filter(|d| d.code == "footer-dropped").count(),
        3
    );
}

#[test]
fn nothing_lost() {
    let bytes = common::seed_bytes();
    let (doc, diags) = yakkan::parse(&bytes);
    common::assert_nothing_lost(&bytes, &doc, &diags);
}

#[test]
fn ids_are_unique_and_json_round_trips() {
    let (doc, diags) = seed();
    common::assert_ids_unique(&doc, "the seed");
    let json = yakkan::to_json(&doc, &diags, false);
    let back: Document = serde_json::from_str(&json).unwrap();
    assert_eq!(back, doc);
}

#[test]
fn seed_json_snapshot() {
    let (doc, diags) = seed();
    insta::assert_snapshot!(yakkan::to_json(&doc, &diags, true));
}
