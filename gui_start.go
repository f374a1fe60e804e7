package main

import "errors"

// startGUI opens the window. It is replaced when the gui package lands.
func startGUI(dir string) error {
	return errors.New("this build has no window")
}
