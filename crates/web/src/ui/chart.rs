//! Horizontal bar charts drawn by the server as SVG, for the reports. The bars' widths
//! are attributes, not styles: the CSP allows no inline style, and no script is needed.
//! `templates/chart.html` draws what [`BarChart::new`] lays out.

/// Where the bars start, after the labels, in SVG units.
const LABEL_SPAN: u64 = 120;
/// Width of the longest bar, in SVG units.
const BAR_SPAN: u64 = 400;
/// Height of one bar's row, in SVG units.
const ROW: u64 = 36;

/// One bar to draw: its label, its value and what is written after it.
#[derive(Debug, Clone)]
pub struct BarInput {
    pub label: String,
    pub count: u64,
    /// Written after the bar (the count, perhaps with a share).
    pub text: String,
    /// `bar`, or a modifier class with it (`bar bar-aged`).
    pub class: &'static str,
}

/// One bar of the chart, placed.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub text: String,
    pub class: &'static str,
    pub x: u64,
    /// Rectangle width (at least 2, so that a bar with anything in it shows).
    pub width: u64,
    /// Top of the bar's row.
    pub y: u64,
    /// Where the text is written: just after the bar.
    pub text_x: u64,
}

#[derive(Debug, Clone)]
pub struct BarChart {
    /// Names the chart for screen readers.
    pub title: String,
    pub bars: Vec<Bar>,
    pub height: u64,
}

impl BarChart {
    /// The bars one under the other, scaled to the largest.
    pub fn new(title: String, inputs: Vec<BarInput>) -> Self {
        let largest = inputs.iter().map(|b| b.count).max().unwrap_or(0).max(1);
        let bars: Vec<Bar> = inputs
            .into_iter()
            .zip(0u64..)
            .map(|(input, i)| {
                let width = if input.count == 0 {
                    0
                } else {
                    (input.count * BAR_SPAN / largest).max(2)
                };
                Bar {
                    label: input.label,
                    text: input.text,
                    class: input.class,
                    x: LABEL_SPAN,
                    width,
                    y: i * ROW,
                    text_x: LABEL_SPAN + width + 8,
                }
            })
            .collect();
        Self {
            title,
            height: ROW * bars.len() as u64,
            bars,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest() {
        let input = |count| BarInput {
            label: String::new(),
            count,
            text: count.to_string(),
            class: "bar",
        };
        let chart = BarChart::new("t".into(), [10, 5, 0, 1].map(input).to_vec());
        let widths: Vec<u64> = chart.bars.iter().map(|b| b.width).collect();
        assert_eq!(widths, [400, 200, 0, 40]);
        assert_eq!(chart.bars[1].y, ROW);
        assert_eq!(chart.bars[1].text_x, 120 + 200 + 8);
        assert_eq!(chart.height, 4 * ROW);
        let empty = BarChart::new("t".into(), [0].map(input).to_vec());
        assert_eq!(empty.bars[0].width, 0);
    }
}
