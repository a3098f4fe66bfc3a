//! The sparse solver: linfa-logistic's multinomial objective, minimised by the same L-BFGS
//! (argmin, memory 10, Moré–Thuente line search, same gradient tolerance and iteration limit, zero
//! start), but computed over sparse rows instead of a dense matrix.
//!
//! The objective is linfa's to the letter: `-Σ log softmax(XW + b)[y] + α/2 ‖W‖²`, the intercept
//! not penalised, parameters laid out as linfa's `(n_features + 1) × n_classes` matrix. A row that
//! oversampling would repeat m times is summed once with weight m (the same objective, in fewer
//! operations), and blocks of rows are summed in parallel. Only the arithmetic order differs, so
//! both solvers reach the same optimum; a test checks that their probabilities agree to 1e-4.

use argmin::core::{CostFunction, Error, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;

use std::sync::Mutex;

use rayon::prelude::*;

use super::linear::{log_sum_exp, softmax_in_place};
use crate::features::SparseVector;

/// The multinomial problem over the rows to fit, each counted as often as its weight says.
struct Problem<'a> {
    x: &'a [&'a SparseVector],
    /// How many times each row of `x` counts (its copies under oversampling; 1 without).
    row_weights: &'a [f64],
    /// Class of each x row, as an index into the present classes.
    target: &'a [usize],
    k: usize,
    n_features: usize,
    alpha: f64,
    /// The rows of each block, summed on its own (possibly on another thread) and then added in
    /// block order. The blocks depend on the number of rows only, never on the number of
    /// threads, so the model is the same byte for byte on any machine.
    blocks: Vec<std::ops::Range<usize>>,
    /// The last points evaluated, newest last: L-BFGS asks for the cost and then the gradient of
    /// one point, and the line search's last point again, so each is computed once.
    evaluated: Mutex<Vec<Evaluation>>,
}

/// The objective and its gradient at one point.
struct Evaluation {
    at: Array1<f64>,
    cost: f64,
    gradient: Array1<f64>,
}

/// Points `Problem` remembers: the line search's latest and the one before.
const REMEMBERED: usize = 2;

/// At most this many blocks of rows are summed in parallel; each holds a gradient-sized buffer
/// while it is summed.
const MAX_BLOCKS: usize = 8;

/// Running sums per class while a row's scores are summed.
const LANES: usize = 4;

/// Blocks have at least this many rows, so small fits stay on one thread.
const MIN_BLOCK_ROWS: usize = 1024;

/// `n` rows in at most `MAX_BLOCKS` blocks of at least `MIN_BLOCK_ROWS` rows (the last block may
/// be smaller), as even as they come: a function of `n` alone.
fn row_blocks(n: usize) -> Vec<std::ops::Range<usize>> {
    let blocks = n.div_ceil(MIN_BLOCK_ROWS).clamp(1, MAX_BLOCKS);
    (0..blocks)
        .map(|b| b * n / blocks..(b + 1) * n / blocks)
        .collect()
}

impl Problem<'_> {
    /// The cost and gradient at `w`, from one pass over the rows (blocks in parallel),
    /// remembered for the next call.
    fn evaluate<T>(&self, w: &Array1<f64>, read: impl FnOnce(&Evaluation) -> T) -> T {
        let mut evaluated = self.evaluated.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = evaluated.iter().find(|e| e.at == *w) {
            return read(hit);
        }
        let base = self.n_features * self.k;
        let params = w.as_slice().expect("parameters are contiguous");
        let partial_sums: Vec<(f64, Vec<f64>)> = self
            .blocks
            .par_iter()
            .map(|rows| {
                let mut grad = vec![0.0; w.len()];
                let loss = match self.k {
                    2 => self.loss_and_gradient(rows.clone(), params, &mut grad, [0.0; 2]),
                    3 => self.loss_and_gradient(rows.clone(), params, &mut grad, [0.0; 3]),
                    4 => self.loss_and_gradient(rows.clone(), params, &mut grad, [0.0; 4]),
                    k => self.loss_and_gradient(rows.clone(), params, &mut grad, vec![0.0; k]),
                };
                (loss, grad)
            })
            .collect();
        let mut gradient = Array1::<f64>::zeros(w.len());
        let grad = gradient.as_slice_mut().expect("a fresh array is contiguous");
        for (g, &v) in grad[..base].iter_mut().zip(&params[..base]) {
            *g = self.alpha * v;
        }
        let mut loss = 0.0;
        for (block_loss, block_grad) in &partial_sums {
            loss += block_loss;
            for (g, b) in grad.iter_mut().zip(block_grad) {
                *g += b;
            }
        }
        let penalty = {
            let weights = w.slice(ndarray::s![..base]);
            0.5 * self.alpha * weights.dot(&weights)
        };
        if evaluated.len() == REMEMBERED {
            evaluated.remove(0);
        }
        evaluated.push(Evaluation {
            at: w.clone(),
            cost: loss + penalty,
            gradient,
        });
        read(evaluated.last().expect("just pushed"))
    }

    /// The weighted loss summed over `rows`, with its gradient (without the penalty's) added to
    /// `grad`. `zero` is the class scores' buffer, all `k` wide: an array for the common class
    /// counts, so that its length is known at compile time and the scores stay in registers.
    #[inline(always)]
    fn loss_and_gradient<S>(
        &self,
        rows: std::ops::Range<usize>,
        params: &[f64],
        grad: &mut [f64],
        zero: S,
    ) -> f64
    where
        S: AsRef<[f64]> + AsMut<[f64]> + Clone,
    {
        // The class count, known at compile time when `zero` is an array.
        let k = zero.as_ref().len();
        let base = self.n_features * k;
        let (weights, intercepts) = params.split_at(base);
        let (grad_weights, grad_intercepts) = grad.split_at_mut(base);
        let mut loss = 0.0;
        for r in rows {
            let (row, target, m) = (&self.x[r], self.target[r], self.row_weights[r]);
            // Four running sums per class, over every fourth term, so that each addition need
            // not wait for the one before it.
            let mut lanes = [zero.clone(), zero.clone(), zero.clone(), zero.clone()];
            let columns = row.columns.chunks_exact(LANES);
            let values = row.values.chunks_exact(LANES);
            let (last_columns, last_values) = (columns.remainder(), values.remainder());
            for (columns, values) in columns.zip(values) {
                for ((lane, &j), &v) in lanes.iter_mut().zip(columns).zip(values) {
                    let at = j as usize * k;
                    for (score, w) in lane.as_mut().iter_mut().zip(&weights[at..at + k]) {
                        *score += w * v;
                    }
                }
            }
            for ((lane, &j), &v) in lanes.iter_mut().zip(last_columns).zip(last_values) {
                let at = j as usize * k;
                for (score, w) in lane.as_mut().iter_mut().zip(&weights[at..at + k]) {
                    *score += w * v;
                }
            }
            let [mut scores, lane1, lane2, lane3] = lanes;
            let scores = scores.as_mut();
            for (c, (score, b)) in scores.iter_mut().zip(intercepts).enumerate() {
                *score = b + ((*score + lane1.as_ref()[c]) + (lane2.as_ref()[c] + lane3.as_ref()[c]));
            }
            loss += m * (log_sum_exp(scores) - scores[target]);
            let mut diffs = zero.clone();
            let diffs = diffs.as_mut();
            diffs.copy_from_slice(scores);
            softmax_in_place(diffs);
            diffs[target] -= 1.0;
            for d in diffs.iter_mut() {
                *d *= m;
            }
            for (g, d) in grad_intercepts.iter_mut().zip(diffs.iter()) {
                *g += d;
            }
            for (&j, &v) in row.columns.iter().zip(&row.values) {
                let at = j as usize * k;
                for (g, d) in grad_weights[at..at + k].iter_mut().zip(diffs.iter()) {
                    *g += d * v;
                }
            }
        }
        loss
    }
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, w: &Array1<f64>) -> Result<f64, Error> {
        Ok(self.evaluate(w, |e| e.cost))
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, w: &Array1<f64>) -> Result<Array1<f64>, Error> {
        Ok(self.evaluate(w, |e| e.gradient.clone()))
    }
}

/// Minimises the objective with row `i` of `x` counted `row_weights[i]` times; returns the
/// flattened parameters (`w[j * k + c]`, intercepts last).
#[allow(clippy::too_many_arguments)]
pub fn minimise(
    x: &[&SparseVector],
    row_weights: &[f64],
    target: &[usize],
    k: usize,
    n_features: usize,
    alpha: f64,
    max_iterations: u64,
    gradient_tolerance: f64,
) -> Result<Array1<f64>, Error> {
    let problem = Problem {
        x,
        row_weights,
        target,
        k,
        n_features,
        alpha,
        blocks: row_blocks(x.len()),
        evaluated: Mutex::new(Vec::with_capacity(REMEMBERED)),
    };
    let init = Array1::<f64>::zeros((n_features + 1) * k);
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10).with_tolerance_grad(gradient_tolerance)?;
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(init.clone()).max_iters(max_iterations))
        .run()?;
    Ok(result.state().get_best_param().cloned().unwrap_or(init))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_blocks_cover_every_row_once_in_order() {
        for n in [0, 1, 1023, 1024, 1025, 5000, 100_000] {
            let blocks = row_blocks(n);
            assert!(blocks.len() <= MAX_BLOCKS);
            assert_eq!(blocks.first().map(|b| b.start), Some(0));
            assert_eq!(blocks.last().map(|b| b.end), Some(n));
            assert!(blocks.windows(2).all(|w| w[0].end == w[1].start));
        }
        assert_eq!(row_blocks(5000).len(), 5);
    }
}
