"""Offline training for Spendcast's forecasting model: data, features, LightGBM, ONNX export, backtest."""
