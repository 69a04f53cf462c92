//! Naming and addressing parameters: the course's `w1..w6, b1..b3` on the 2-2-1 network,
//! `L1.w[2][1]` (layer 1, into neuron 2 from input 1; all 1-based) and `L1.b[2]` elsewhere.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{course, CoreError, Network};

/// Which parameter: layer `layer` (0-based), a weight into `neuron` from `input`, or a bias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ParamId {
    Weight {
        layer: usize,
        neuron: usize,
        input: usize,
    },
    Bias {
        layer: usize,
        neuron: usize,
    },
}

impl ParamId {
    /// `(layer, neuron, input)`, with no input for a bias (all 0-based).
    pub fn parts(self) -> (usize, usize, Option<usize>) {
        match self {
            ParamId::Weight {
                layer,
                neuron,
                input,
            } => (layer, neuron, Some(input)),
            ParamId::Bias { layer, neuron } => (layer, neuron, None),
        }
    }

    /// The weight into `neuron` from `input` of `layer`, or the bias of `neuron` when
    /// `input` is `None`: the inverse of [`ParamId::parts`].
    pub fn from_parts(layer: usize, neuron: usize, input: Option<usize>) -> ParamId {
        match input {
            Some(input) => ParamId::Weight {
                layer,
                neuron,
                input,
            },
            None => ParamId::Bias { layer, neuron },
        }
    }
}

impl fmt::Display for ParamId {
    /// The general name (`L1.w[2][1]`, `L2.b[1]`), 1-based.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ParamId::Weight {
                layer,
                neuron,
                input,
            } => write!(f, "L{}.w[{}][{}]", layer + 1, neuron + 1, input + 1),
            ParamId::Bias { layer, neuron } => write!(f, "L{}.b[{}]", layer + 1, neuron + 1),
        }
    }
}

impl Network {
    /// Every parameter in flat order: per layer, weights row-major (neuron, then input),
    /// then biases. [`Network::params_flat`] and [`crate::Gradients::flat`] use this order.
    pub fn param_ids(&self) -> Vec<ParamId> {
        let mut ids = Vec::with_capacity(self.n_params());
        for (l, layer) in self.layers().iter().enumerate() {
            for j in 0..layer.n_out() {
                for i in 0..layer.n_in() {
                    ids.push(ParamId::Weight {
                        layer: l,
                        neuron: j,
                        input: i,
                    });
                }
            }
            for j in 0..layer.n_out() {
                ids.push(ParamId::Bias {
                    layer: l,
                    neuron: j,
                });
            }
        }
        ids
    }

    /// True when the network has the course's shape, 2-2-1, so `w1..w6, b1..b3` apply.
    pub fn is_course_shape(&self) -> bool {
        self.sizes() == [2, 2, 1]
    }

    /// The parameter's display name: the course's on a 2-2-1 network, else `L1.w[2][1]`.
    pub fn param_name(&self, id: ParamId) -> String {
        if self.is_course_shape() {
            if let Some(name) = course::name_of(id) {
                return name.to_string();
            }
        }
        id.to_string()
    }

    /// Parameters in display order with their names: `w1..w6, b1..b3` for the course
    /// network (the course's reading order), flat order otherwise.
    pub fn named_param_ids(&self) -> Vec<(String, ParamId)> {
        if self.is_course_shape() {
            course::NAMES
                .iter()
                .map(|&(n, id)| (n.to_string(), id))
                .collect()
        } else {
            self.param_ids()
                .into_iter()
                .map(|id| (id.to_string(), id))
                .collect()
        }
    }

    /// Looks a parameter up by either name (`w5`, `L2.w[1][1]`, `b3`, `L2.b[1]`).
    pub fn param_by_name(&self, name: &str) -> Result<ParamId, CoreError> {
        let unknown = || CoreError::UnknownParameter {
            name: name.to_string(),
        };
        let name = name.trim();
        if self.is_course_shape() {
            if let Some(&(_, id)) = course::NAMES.iter().find(|(n, _)| *n == name) {
                return Ok(id);
            }
        }
        self.param_ids()
            .into_iter()
            .find(|id| id.to_string() == name)
            .ok_or_else(unknown)
    }

    /// The value of one parameter.
    pub fn get(&self, id: ParamId) -> f64 {
        match id {
            ParamId::Weight {
                layer,
                neuron,
                input,
            } => self.layers()[layer].w(neuron, input),
            ParamId::Bias { layer, neuron } => self.layers()[layer].b(neuron),
        }
    }

    /// Sets one parameter.
    pub fn set(&mut self, id: ParamId, value: f64) {
        match id {
            ParamId::Weight {
                layer,
                neuron,
                input,
            } => self.layers_mut()[layer].set_w(neuron, input, value),
            ParamId::Bias { layer, neuron } => self.layers_mut()[layer].set_b(neuron, value),
        }
    }

    /// All parameters flat, in [`Network::param_ids`] order.
    pub fn params_flat(&self) -> Vec<f64> {
        self.layers()
            .iter()
            .flat_map(|l| l.weights_flat().iter().chain(l.biases()).copied())
            .collect()
    }

    /// Sets all parameters from a flat list in [`Network::param_ids`] order.
    pub fn set_params_flat(&mut self, values: &[f64]) -> Result<(), CoreError> {
        if values.len() != self.n_params() {
            return Err(CoreError::WrongCount {
                what: "parameters",
                expected: self.n_params(),
                found: values.len(),
            });
        }
        let mut it = values.iter();
        for layer in self.layers_mut() {
            for p in layer.weights_flat_mut() {
                *p = *it.next().unwrap_or(&0.0);
            }
            for p in layer.biases_mut() {
                *p = *it.next().unwrap_or(&0.0);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Activation, Network};

    #[test]
    fn general_names_are_one_based_and_resolve_back() {
        let net = Network::zeros(&[3, 2, 1], &[Activation::Relu, Activation::Identity]).unwrap();
        let ids = net.param_ids();
        assert_eq!(ids.len(), 3 * 2 + 2 + 2 + 1);
        assert_eq!(net.param_name(ids[0]), "L1.w[1][1]");
        assert_eq!(net.param_name(ids[5]), "L1.w[2][3]");
        assert_eq!(net.param_name(ids[6]), "L1.b[1]");
        for id in ids {
            assert_eq!(net.param_by_name(&net.param_name(id)).unwrap(), id);
        }
        assert!(net.param_by_name("w1").is_err());
    }

    #[test]
    fn flat_round_trip() {
        let mut net =
            Network::zeros(&[2, 3, 2], &[Activation::Tanh, Activation::Identity]).unwrap();
        let values: Vec<f64> = (0..net.n_params()).map(|i| i as f64 * 0.5).collect();
        net.set_params_flat(&values).unwrap();
        assert_eq!(net.params_flat(), values);
        assert!(net.set_params_flat(&values[1..]).is_err());
    }
}
