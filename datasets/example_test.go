package datasets_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/dlnb/dlnb/datasets"
)

// The course starts each dataset with describe().
func ExampleHourlyWages() {
	d := datasets.HourlyWages()
	fmt.Println(d)
	fmt.Print(d.Describe())
	// Output:
	// Dataset: 534 rows, 9 features (union, education_yrs, experience_yrs, age, female, marr, south, manufacturing, construction), target wage_per_hour
	//        wage_per_hour       union  education_yrs  experience_yrs         age      female        marr       south  manufacturing  construction
	// count     534.000000  534.000000     534.000000      534.000000  534.000000  534.000000  534.000000  534.000000     534.000000    534.000000
	// mean        9.024064    0.179775      13.018727       17.822097   36.833333    0.458801    0.655431    0.292135       0.185393      0.044944
	// std         5.139097    0.384360       2.615373       12.379710   11.726573    0.498767    0.475673    0.455170       0.388981      0.207375
	// min         1.000000    0.000000       2.000000        0.000000   18.000000    0.000000    0.000000    0.000000       0.000000      0.000000
	// 25%         5.250000    0.000000      12.000000        8.000000   28.000000    0.000000    0.000000    0.000000       0.000000      0.000000
	// 50%         7.780000    0.000000      12.000000       15.000000   35.000000    0.000000    1.000000    0.000000       0.000000      0.000000
	// 75%        11.250000    0.000000      15.000000       26.000000   44.000000    1.000000    1.000000    1.000000       0.000000      0.000000
	// max        44.500000    1.000000      18.000000       55.000000   64.000000    1.000000    1.000000    1.000000       1.000000      1.000000
}

// The Titanic target one-hot encoded, as the course's softmax model wants it.
func ExampleTitanic() {
	d := datasets.Titanic()
	fmt.Print(d.Head(3))
	y, err := d.YOneHot()
	if err != nil {
		log.Fatal(err)
	}
	r, c := y.Dims()
	fmt.Printf("X %dx%d, one-hot target %dx%d, first row %v\n", d.Len(), d.NumFeatures(), r, c, y.RawRowView(0))
	// Output:
	//    survived  pclass  age  sibsp  parch     fare  male  age_was_missing  embarked_from_cherbourg  embarked_from_queenstown  embarked_from_southampton
	// 0         0       3   22      1      0   7.2500     1                0                        0                         0                          1
	// 1         1       1   38      1      0  71.2833     0                0                        1                         0                          0
	// 2         1       3   26      0      0   7.9250     0                0                        0                         0                          1
	// X 891x10, one-hot target 891x2, first row [1 0]
}

// The course predicts the survival of the last 91 passengers.
func ExampleTitanicPredData() {
	pred := datasets.TitanicPredData()
	fmt.Println(pred)
	fmt.Print(pred.Tail(2))
	// Output:
	// Dataset: 91 rows, 10 features (pclass, age, sibsp, parch, fare, male, age_was_missing, embarked_from_cherbourg, embarked_from_queenstown, embarked_from_southampton), no target
	//     pclass  age  sibsp  parch   fare  male  age_was_missing  embarked_from_cherbourg  embarked_from_queenstown  embarked_from_southampton
	// 89       1   26      0      0  30.00     1                0                        1                         0                          0
	// 90       3   32      0      0   7.75     1                0                        0                         1                          0
}

// Your own CSV file: name the target, and the predictors if not all.
func ExampleLoadCSV() {
	// (A file in a scratch directory, for the example.)
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)
	path := "houses.csv"
	os.WriteFile(path, []byte(`price,rooms,area,has_garden,owner
250000,3,80.5,True,Ann
410000,5,140,False,Bob
199000,2,61.25,true,Cy
`), 0o644)

	d, err := datasets.LoadCSV(path, datasets.CSVOptions{
		Target:   "price",
		Features: []string{"rooms", "area", "has_garden"}, // owner is text: left out
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(d.Head(0))

	// A column that does not exist: the error lists those that do.
	_, err = datasets.LoadCSV(path, datasets.CSVOptions{Target: "Price"})
	fmt.Println(err)
	// Output:
	//     price  rooms    area  has_garden
	// 0  250000      3   80.50           1
	// 1  410000      5  140.00           0
	// 2  199000      2   61.25           1
	// datasets: houses.csv: target column "Price" not found; the columns are "price", "rooms", "area", "has_garden", "owner"
}

// Hold out a test part, then standardize with the training part's numbers.
func ExampleTrainTestSplit() {
	train, test, err := datasets.TrainTestSplit(datasets.Titanic(), 0.2, 42)
	if err != nil {
		log.Fatal(err)
	}
	var sc datasets.StandardScaler
	xTrain, err := sc.FitTransform(train.X)
	if err != nil {
		log.Fatal(err)
	}
	xTest, err := sc.Transform(test.X)
	if err != nil {
		log.Fatal(err)
	}
	r1, _ := xTrain.Dims()
	r2, _ := xTest.Dims()
	fmt.Printf("%d training rows, %d test rows; age: mean %.2f, std %.2f (training part)\n", r1, r2, sc.Mean[1], sc.Scale[1])
	// Output:
	// 712 training rows, 179 test rows; age: mean 29.92, std 12.88 (training part)
}

func ExampleStandardScaler() {
	d := datasets.HourlyWages()
	var sc datasets.StandardScaler
	if err := sc.Fit(d.X); err != nil {
		log.Fatal(err)
	}
	// Data with other columns than the fitted ones is an error naming both shapes.
	_, err := sc.Transform(datasets.Titanic().X)
	fmt.Println(err)
	// Output:
	// datasets: StandardScaler.Transform: x is 891x10 but the scaler was fitted on 534x9 data; the columns must be the same (same features, same order)
}

func ExampleOneHot() {
	y, err := datasets.OneHot([]float64{0, 2, 1}, 0) // 0: max label + 1 classes, as Keras
	if err != nil {
		log.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		fmt.Println(y.RawRowView(i))
	}
	// Output:
	// [1 0 0]
	// [0 0 1]
	// [0 1 0]
}

// The course's model-capacity lesson: 2,500 digits of 784 pixels.
func ExampleMNIST2500() {
	d, err := datasets.MNIST2500()
	if err != nil {
		log.Fatal(err)
	}
	y, err := d.YOneHot()
	if err != nil {
		log.Fatal(err)
	}
	r, c := y.Dims()
	fmt.Printf("X %dx%d, pixels in [0, 1], Y one-hot %dx%d; first digits %v %v %v\n",
		d.Len(), d.NumFeatures(), r, c, d.Y.At(0, 0), d.Y.At(1, 0), d.Y.At(2, 0))
	// Output:
	// X 2500x784, pixels in [0, 1], Y one-hot 2500x10; first digits 5 0 4
}

func ExampleMNIST() {
	train, test, err := datasets.MNIST()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.Len(), "training images,", test.Len(), "test images")
	// Output:
	// 60000 training images, 10000 test images
}

// Missing values are an error that says where the first one is; Missing
// chooses another policy.
func ExampleReadCSV() {
	const data = `y,age,height
1,31,1.80
0,,1.65
1,45,NA
`
	_, err := datasets.ReadCSV(strings.NewReader(data), datasets.CSVOptions{Target: "y"})
	fmt.Println(err)

	d, err := datasets.ReadCSV(strings.NewReader(data), datasets.CSVOptions{Target: "y", Missing: datasets.MissingMean})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(d.Head(0))
	// Output:
	// datasets: CSV: 2 missing value(s), the first at line 3, column "age" (row 1 of the data); fill them in, or load with Missing: datasets.MissingMean (fill with the column mean) or datasets.MissingNaN (keep them as NaN)
	//    y  age  height
	// 0  1   31   1.800
	// 1  0   38   1.650
	// 2  1   45   1.725
}
