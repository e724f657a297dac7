package datasets

import (
	"bytes"
	_ "embed" // the course's CSV files ship inside the package
	"fmt"
)

//go:embed data/hourly_wages.csv
var hourlyWagesCSV []byte

//go:embed data/titanic_all_numeric.csv
var titanicCSV []byte

// TitanicPredRows is the number of passengers of the course's pred_data: the
// last 91 of the 891 rows of Titanic.
const TitanicPredRows = 91

// HourlyWages returns the course's hourly wages data: 534 workers from the
// May 1985 Current Population Survey, target wage_per_hour (dollars), 9
// predictors: union, education_yrs, experience_yrs, age, female, marr,
// south, manufacturing, construction (six of them 0/1).
//
// The data is embedded in the package and checked by its tests, so there is
// nothing that can fail; each call returns a fresh copy to change at will.
func HourlyWages() *Dataset {
	return mustRead(hourlyWagesCSV, CSVOptions{Target: "wage_per_hour"})
}

// Titanic returns the course's Titanic data: all 891 passengers, target
// survived (0 or 1, two classes), 10 predictors: pclass, age, sibsp, parch,
// fare, male, age_was_missing (1 where the age was unknown and set to the
// mean, 29.699118), embarked_from_cherbourg, embarked_from_queenstown,
// embarked_from_southampton.
//
// The course one-hot encodes the target for a softmax model:
// y, err := d.YOneHot() (891x2). Its last 91 rows are TitanicPredData.
func Titanic() *Dataset {
	d := mustRead(titanicCSV, CSVOptions{Target: "survived", Classes: 2})
	return d
}

// TitanicPredData returns the course's pred_data: the predictors of the
// last 91 Titanic passengers (rows 800 to 890, counting from 0), without
// the target, to predict their probability of survival with
// model.Predict(d.X). Titanic().Slice(800, 891) gives the same rows with
// their survived column, to check the predictions.
func TitanicPredData() *Dataset {
	all := Titanic()
	d, err := all.Slice(all.Len()-TitanicPredRows, all.Len())
	if err != nil {
		panic(fmt.Sprintf("datasets: embedded Titanic data is broken: %v", err))
	}
	d.Y, d.Target, d.Classes = nil, "", 0
	return d
}

// mustRead parses an embedded file. The package's tests check every number
// of these files, so a failure here is a broken build, not a user's error.
func mustRead(data []byte, opts CSVOptions) *Dataset {
	d, err := ReadCSV(bytes.NewReader(data), opts)
	if err != nil {
		panic(fmt.Sprintf("datasets: embedded data is broken: %v", err))
	}
	return d
}
