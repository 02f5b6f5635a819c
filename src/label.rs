//! The label set: the 18 OntoNotes 5.0 types plus three pattern types OntoNotes lacks.

use std::fmt;
use std::str::FromStr;

/// What kind of thing an entity is.
///
/// The first 18 variants are the OntoNotes 5.0 types, in the order the OntoNotes guidelines list
/// them; `Email`, `Url` and `Phone` are found by exact patterns only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Label {
    /// `PERSON`: People, including fictional.
    Person,
    /// `NORP`: Nationalities or religious or political groups.
    Norp,
    /// `FAC`: Buildings, airports, highways, bridges, etc.
    Fac,
    /// `ORG`: Companies, agencies, institutions, etc.
    Org,
    /// `GPE`: Countries, cities, states.
    Gpe,
    /// `LOC`: Non-GPE locations, mountain ranges, bodies of water.
    Loc,
    /// `PRODUCT`: Objects, vehicles, foods, etc. (not services).
    Product,
    /// `EVENT`: Named hurricanes, battles, wars, sports events, etc.
    Event,
    /// `WORK_OF_ART`: Titles of books, songs, etc.
    WorkOfArt,
    /// `LAW`: Named documents made into laws.
    Law,
    /// `LANGUAGE`: Any named language.
    Language,
    /// `DATE`: Absolute or relative dates or periods.
    Date,
    /// `TIME`: Times smaller than a day.
    Time,
    /// `PERCENT`: Percentage, including "%".
    Percent,
    /// `MONEY`: Monetary values, including unit.
    Money,
    /// `QUANTITY`: Measurements, as of weight or distance.
    Quantity,
    /// `ORDINAL`: "first", "second", etc.
    Ordinal,
    /// `CARDINAL`: Numerals that do not fall under another type.
    Cardinal,
    /// `EMAIL`: Email addresses.
    Email,
    /// `URL`: Web addresses.
    Url,
    /// `PHONE`: Telephone numbers.
    Phone,
    /// CoNLL-2003's catch-all for names that are none of person, organization or location.
    Misc,
}

struct Info {
    name: &'static str,
    description: &'static str,
    color: &'static str,
}

// Colors: Paul Tol's "light" and "pale" qualitative schemes, made as backgrounds for black text
// labels and told apart with the common colour-vision deficiencies. The most frequent types
// (PERSON, ORG, GPE, NORP, LOC, DATE) each get a "light" hue of their own; rarer ones share
// "pale" tints; the numeric types share one grey. Every one has a contrast of at least 4.5:1
// (WCAG AA) with near-black text (tests/e2e/page-look.test.mjs checks it in light and dark
// mode), and the label name is always drawn next to the color, so no meaning rests on color.
const INFO: [Info; 22] = [
    Info {
        name: "PERSON",
        description: "People, including fictional",
        color: "#77aadd",
    },
    Info {
        name: "NORP",
        description: "Nationalities or religious or political groups",
        color: "#ffaabb",
    },
    Info {
        name: "FAC",
        description: "Buildings, airports, highways, bridges, etc.",
        color: "#ccddaa",
    },
    Info {
        name: "ORG",
        description: "Companies, agencies, institutions, etc.",
        color: "#ee8866",
    },
    Info {
        name: "GPE",
        description: "Countries, cities, states",
        color: "#eedd88",
    },
    Info {
        name: "LOC",
        description: "Non-GPE locations, mountain ranges, bodies of water",
        color: "#44bb99",
    },
    Info {
        name: "PRODUCT",
        description: "Objects, vehicles, foods, etc. (not services)",
        color: "#bbcc33",
    },
    Info {
        name: "EVENT",
        description: "Named hurricanes, battles, wars, sports events, etc.",
        color: "#aaaa00",
    },
    Info {
        name: "WORK_OF_ART",
        description: "Titles of books, songs, etc.",
        color: "#ffcccc",
    },
    Info {
        name: "LAW",
        description: "Named documents made into laws",
        color: "#bbccee",
    },
    Info {
        name: "LANGUAGE",
        description: "Any named language",
        color: "#eeeebb",
    },
    Info {
        name: "DATE",
        description: "Absolute or relative dates or periods",
        color: "#99ddff",
    },
    Info {
        name: "TIME",
        description: "Times smaller than a day",
        color: "#cceeff",
    },
    Info {
        name: "PERCENT",
        description: "Percentage, including \"%\"",
        color: "#dddddd",
    },
    Info {
        name: "MONEY",
        description: "Monetary values, including unit",
        color: "#dddddd",
    },
    Info {
        name: "QUANTITY",
        description: "Measurements, as of weight or distance",
        color: "#dddddd",
    },
    Info {
        name: "ORDINAL",
        description: "\"first\", \"second\", etc.",
        color: "#dddddd",
    },
    Info {
        name: "CARDINAL",
        description: "Numerals that do not fall under another type",
        color: "#dddddd",
    },
    Info {
        name: "EMAIL",
        description: "Email addresses",
        color: "#bbccee",
    },
    Info {
        name: "URL",
        description: "Web addresses",
        color: "#bbccee",
    },
    Info {
        name: "PHONE",
        description: "Telephone numbers",
        color: "#bbccee",
    },
    Info {
        name: "MISC",
        description: "Other names: events, nationalities, products, works (CoNLL-2003)",
        color: "#ccddaa",
    },
];

impl Label {
    /// Every label, in a stable order (the order of the `repr(u8)` discriminants).
    pub const ALL: &'static [Label] = &[
        Label::Person,
        Label::Norp,
        Label::Fac,
        Label::Org,
        Label::Gpe,
        Label::Loc,
        Label::Product,
        Label::Event,
        Label::WorkOfArt,
        Label::Law,
        Label::Language,
        Label::Date,
        Label::Time,
        Label::Percent,
        Label::Money,
        Label::Quantity,
        Label::Ordinal,
        Label::Cardinal,
        Label::Email,
        Label::Url,
        Label::Phone,
        Label::Misc,
    ];

    /// The label's name as corpora and the JSON output spell it: `"PERSON"`, `"WORK_OF_ART"`.
    pub fn name(self) -> &'static str {
        INFO[self as usize].name
    }

    /// A one-line description for tooltips and legends.
    pub fn description(self) -> &'static str {
        INFO[self as usize].description
    }

    /// The default highlight color, a CSS hex color.
    pub fn color(self) -> &'static str {
        INFO[self as usize].color
    }

    /// The label with discriminant `index`, if any (used by the model format).
    pub fn from_index(index: u8) -> Option<Label> {
        Label::ALL.get(index as usize).copied()
    }

    /// Labels found by exact patterns only: when a pattern matches, it wins over the model.
    pub fn is_pattern(self) -> bool {
        matches!(self, Label::Email | Label::Url | Label::Phone)
    }

    /// Numeric and temporal labels, which the rules can find without a model.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Label::Date
                | Label::Time
                | Label::Percent
                | Label::Money
                | Label::Quantity
                | Label::Ordinal
                | Label::Cardinal
        )
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a label name that is not in the label set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLabel(pub String);

impl fmt::Display for UnknownLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown label {:?}", self.0)
    }
}

impl std::error::Error for UnknownLabel {}

impl FromStr for Label {
    type Err = UnknownLabel;

    /// Parses a label name; CoNLL-2003's `PER` and `LOC` map onto `PERSON` and `LOC`, and its
    /// `ORG` onto `ORG`, so one evaluator serves both corpora.
    fn from_str(s: &str) -> Result<Label, UnknownLabel> {
        if s == "PER" {
            return Ok(Label::Person);
        }
        Label::ALL
            .iter()
            .copied()
            .find(|l| l.name() == s)
            .ok_or_else(|| UnknownLabel(s.to_string()))
    }
}

impl serde::Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_discriminant_order_and_names_round_trip() {
        for (i, &label) in Label::ALL.iter().enumerate() {
            assert_eq!(label as usize, i);
            assert_eq!(Label::from_index(i as u8), Some(label));
            assert_eq!(label.name().parse::<Label>(), Ok(label));
            assert!(label.color().starts_with('#') && label.color().len() == 7);
            assert!(!label.description().is_empty());
        }
        assert_eq!(Label::from_index(Label::ALL.len() as u8), None);
        assert_eq!("PER".parse::<Label>(), Ok(Label::Person));
        assert!("NOPE".parse::<Label>().is_err());
    }
}
